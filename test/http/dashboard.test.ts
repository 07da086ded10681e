import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safety, traffic } from '@polis/contracts';
import { Type, defineEvent, definePlugin } from '@polis/plugin-api';
import { ADMIN_TOKEN, DASHBOARD_TOKEN, SENSOR_TOKEN, startTestCity } from './gateway-fixture.js';
import type { TestCity } from './gateway-fixture.js';

const Location = Type.Object({ lat: Type.Number(), lon: Type.Number() });
const ReportLocated = defineEvent({ type: 'test.report.located', version: 1, schema: Type.Object({ reportId: Type.String(), text: Type.String(), location: Location }) });
const IncidentLocated = defineEvent({ type: 'test.incident.located', version: 1, schema: Type.Object({ incidentId: Type.String(), text: Type.String(), location: Location }) });
const SignalChanged = defineEvent({ type: 'test.signal.changed', version: 1, schema: Type.Object({ signalId: Type.String(), state: Type.String(), location: Location }) });
const CorridorAsked = defineEvent({ type: 'test.report.corridor', version: 1, schema: Type.Object({ corridorId: Type.String(), done: Type.Boolean() }) });

/** The deployment's data the map is drawn from: three nodes, two roads, one signal, a bin. */
const network = {
  nodes: [
    { id: 'n0', lat: 45.75, lon: 4.83 },
    { id: 'n1', lat: 45.76, lon: 4.84 },
    { id: 'n2', lat: 45.77, lon: 4.85 },
  ],
  links: [
    { id: 'n0-n1', from: 'n0', to: 'n1' },
    { id: 'n1-n2', from: 'n1', to: 'n2' },
  ],
  intersections: [{ id: 'x1', node: 'n1' }],
};
const DeskConfig = Type.Object({ network: Type.Optional(Type.Unknown()), bins: Type.Optional(Type.Unknown()), hubs: Type.Optional(Type.Unknown()) }, { additionalProperties: false });

/** Stands in for traffic: a green corridor through x1 on request, pre-empting and then restoring it. */
const signalDesk = definePlugin({
  name: 'signal-desk',
  version: '1.0.0',
  kernel: '^1',
  config: DeskConfig,
  consumes: [CorridorAsked],
  publishes: [traffic.CorridorPlanned, traffic.SignalPreempted, traffic.SignalRestored, safety.IncidentOpened],
  setup(ctx) {
    ctx.on(CorridorAsked, async ({ data }, scope) => {
      if (data.done) return void (await scope.publish(traffic.SignalRestored, { corridorId: data.corridorId, intersectionId: 'x1' }));
      const at = new Date(ctx.clock.now()).toISOString();
      await scope.publish(traffic.CorridorPlanned, { corridorId: data.corridorId, vehicleId: 'amb-1', nodes: ['n0', 'n1', 'n2'], lengthM: 2600, travelTimeS: 120, signals: [{ intersectionId: 'x1', phaseId: 'NS', etaAt: at, windowStart: at, windowEnd: at }] });
      await scope.publish(traffic.SignalPreempted, { corridorId: data.corridorId, intersectionId: 'x1', phaseId: 'NS', until: at });
    });
  },
});

/** Opens a located incident for each report, and turns the signal next to it green. */
const mapDesk = definePlugin({
  name: 'map-desk',
  version: '1.0.0',
  kernel: '^1',
  consumes: [ReportLocated],
  publishes: [IncidentLocated, SignalChanged],
  setup(ctx) {
    ctx.on(ReportLocated, async ({ data }, scope) => {
      await scope.publish(IncidentLocated, { incidentId: `INC-${data.reportId}`, text: data.text, location: data.location });
      await scope.publish(SignalChanged, { signalId: `SIG-${data.reportId}`, state: 'GREEN', location: { lat: data.location.lat + 0.001, lon: data.location.lon } });
    });
  },
});
const bystander = definePlugin({ name: 'bystander', version: '1.0.0', kernel: '^1', config: DeskConfig, setup() {} });

let city: TestCity;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const requestedHosts: string[] = [];

function sense(type: string, data: unknown) {
  return city.fetch('/events', {
    method: 'POST',
    token: SENSOR_TOKEN,
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', id: `${type}-${Math.random()}`, source: 'urn:sensor:42', type, data }),
  });
}

function report(id: string, text: string, lat: number, lon: number) {
  return city.fetch('/events', {
    method: 'POST',
    token: SENSOR_TOKEN,
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', id, source: 'urn:sensor:42', type: 'test.report.located', data: { reportId: id, text, location: { lat, lon } } }),
  });
}

beforeAll(async () => {
  city = await startTestCity({
    plugins: [
      mapDesk,
      { plugin: signalDesk, config: { network, bins: [{ id: 'bin-1', position: { lat: 45.755, lon: 4.835 } }] } },
      { plugin: bystander, config: { hubs: [{ id: 'hub-1', name: 'Depot hub', position: { lat: 45.765, lon: 4.845 }, feederId: 'F1' }] } },
    ],
    accountability: { rules: { openers: { 'test.report.located': 'report' }, resolvers: ['test.incident.located'], slas: { report: { acknowledgeMs: 60_000, resolveMs: 60_000 } } } },
    sources: [
      { name: 'field-sensors', token: SENSOR_TOKEN, publishes: ['test.report.*'], consumes: [], requests: [] },
      { name: 'dashboard', token: DASHBOARD_TOKEN, publishes: [], consumes: ['test.>', 'traffic.>', 'safety.>', 'kernel.event.deadlettered'], requests: [] },
    ],
  });
  const executablePath = process.env.CHROMIUM_BIN ?? execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('request', (request) => {
    const host = new URL(request.url()).host;
    if (!requestedHosts.includes(host)) requestedHosts.push(host);
  });
  await page.goto(`${city.gateway.url}/?token=${DASHBOARD_TOKEN}&admin=${ADMIN_TOKEN}`);
  await page.waitForSelector('#status:text("live")', { timeout: 5000 }).catch(async (error: Error) => {
    throw new Error(`${error.message}\nconsole: ${consoleErrors.join('\n')}\n${await page.content()}`);
  });
}, 20_000);

afterAll(async () => {
  await browser?.close();
  await city?.stop();
});

describe('the live dashboard (GET /) in Chromium', () => {
  it("draws the road network and the plugins' placed things from the deployment's data, no tiles", async () => {
    await page.waitForSelector('#roads line[data-link="n1-n2"]');
    expect(await page.locator('#roads line').count()).toBe(2);
    await page.waitForSelector('#signals circle[data-key="x1"]');
    await page.waitForSelector('#places rect.bin[data-key="bin-1"]');
    await page.waitForSelector('#places rect.hub[data-key="hub-1"]');
    expect(await page.textContent('#layers')).toContain('roads (signal-desk)');
    // Nothing but the gateway was asked for: no map tiles, no CDN.
    expect(requestedHosts).toEqual([new URL(city.gateway.url).host]);
  });

  it("shows a corridor and its signal's change of state (pre-empted, then restored)", async () => {
    expect(await page.getAttribute('#signals circle[data-key="x1"]', 'class')).toBe('signal');
    await sense('test.report.corridor', { corridorId: 'COR-1', done: false });
    await page.waitForSelector('#corridors polyline.corridor[data-key="COR-1"]', { timeout: 1000 });
    await page.waitForSelector('#signals circle.signal-preempted[data-key="x1"][data-state="preempted"]', { timeout: 1000 });
    await sense('test.report.corridor', { corridorId: 'COR-1', done: true });
    await page.waitForSelector('#signals circle[data-key="x1"][data-state="restored"]', { timeout: 1000 });
    await page.waitForSelector('#corridors polyline', { state: 'detached', timeout: 1000 });
  });

  it('draws a published incident on the map within a second, and the signal the corridor turned', async () => {
    await report('r1', 'pile-up on the ring road', 45.76, 4.84);
    await report('r2', 'fire at the depot', 45.75, 4.85);
    const started = Date.now();
    await page.waitForSelector('circle.incident[data-key="INC-r1"]', { timeout: 1000 });
    expect(Date.now() - started).toBeLessThan(1000);
    await page.waitForSelector('circle.signal-green[data-key="SIG-r1"][data-state="GREEN"]', { timeout: 1000 });
  });

  it('shows the plugins with their state and event rates; an unplugged one leaves the table, and its layer the map', async () => {
    await page.waitForSelector('#plugins tr[data-plugin="bystander"]');
    await page.waitForFunction('document.querySelector(\'#plugins tr[data-plugin="map-desk"] td:nth-child(3)\').textContent !== ""');
    expect(await page.textContent('#plugins tr[data-plugin="map-desk"]')).toContain('running');
    const unplugged = await city.fetch('/admin/plugins/bystander', { method: 'DELETE', token: ADMIN_TOKEN });
    expect(unplugged.status).toBeLessThan(300);
    await page.waitForSelector('#plugins tr[data-plugin="bystander"]', { state: 'detached', timeout: 3000 });
    await page.waitForSelector('#places rect[data-key="hub-1"]', { state: 'detached', timeout: 3000 });
    expect(await page.textContent('#layers')).not.toContain('bystander');
  });

  it('shows the accountability view computed from the causal chains', async () => {
    await page.waitForSelector('#accountability tr[data-department="map-desk"]', { timeout: 3000 });
    expect(await page.textContent('#accountability tr[data-department="map-desk"]')).toMatch(/^map-deskreport\d+\d+/);
  });

  it('shows an HTML/script payload as text and never runs it', async () => {
    const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    await report('r3', payload, 45.77, 4.83);
    await page.waitForSelector('#events td:has-text("onerror")');
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.locator('#events img, #events script').count()).toBe(0);
    expect(await page.textContent('#events')).toContain('<script>window.__pwned=2</script>');
  });

  it('loaded with no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
