import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type, defineEvent, definePlugin } from '@polis/plugin-api';
import { ADMIN_TOKEN, DASHBOARD_TOKEN, SENSOR_TOKEN, startTestCity } from './gateway-fixture.js';
import type { TestCity } from './gateway-fixture.js';

const Location = Type.Object({ lat: Type.Number(), lon: Type.Number() });
const ReportLocated = defineEvent({ type: 'test.report.located', version: 1, schema: Type.Object({ reportId: Type.String(), text: Type.String(), location: Location }) });
const IncidentLocated = defineEvent({ type: 'test.incident.located', version: 1, schema: Type.Object({ incidentId: Type.String(), text: Type.String(), location: Location }) });
const SignalChanged = defineEvent({ type: 'test.signal.changed', version: 1, schema: Type.Object({ signalId: Type.String(), state: Type.String(), location: Location }) });

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
const bystander = definePlugin({ name: 'bystander', version: '1.0.0', kernel: '^1', setup() {} });

let city: TestCity;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

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
    plugins: [mapDesk, bystander],
    sources: [
      { name: 'field-sensors', token: SENSOR_TOKEN, publishes: ['test.report.*'], consumes: [], requests: [] },
      { name: 'dashboard', token: DASHBOARD_TOKEN, publishes: [], consumes: ['test.>'], requests: [] },
    ],
  });
  const executablePath = process.env.CHROMIUM_BIN ?? execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
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
  it('draws a published incident on the map within a second, and the signal the corridor turned', async () => {
    await report('r1', 'pile-up on the ring road', 45.76, 4.84);
    await report('r2', 'fire at the depot', 45.75, 4.85);
    const started = Date.now();
    await page.waitForSelector('circle.incident[data-key="INC-r1"]', { timeout: 1000 });
    expect(Date.now() - started).toBeLessThan(1000);
    await page.waitForSelector('circle.signal-green[data-key="SIG-r1"][data-state="GREEN"]', { timeout: 1000 });
  });

  it('shows the plugins with their state, and an unplugged one leaves the table', async () => {
    await page.waitForSelector('#plugins tr[data-plugin="bystander"]');
    expect(await page.textContent('#plugins tr[data-plugin="map-desk"]')).toContain('running');
    const unplugged = await city.fetch('/admin/plugins/bystander', { method: 'DELETE', token: ADMIN_TOKEN });
    expect(unplugged.status).toBeLessThan(300);
    await page.waitForSelector('#plugins tr[data-plugin="bystander"]', { state: 'detached', timeout: 3000 });
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
