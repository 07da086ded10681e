import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceRequest } from '@polis/http';
import { startTestCity } from './gateway-fixture.js';
import type { TestCity } from './gateway-fixture.js';

const BOUNDS = { minLat: 20.0, maxLat: 20.1, minLong: 110.3, maxLong: 110.4 };
let city: TestCity | undefined;
afterEach(async () => {
  await city?.stop();
  city = undefined;
});

async function start(extra: { rateLimit?: { requests: number; windowMs: number } } = {}, cases: ServiceRequest[] = []) {
  city = await startTestCity({ open311: { bounds: BOUNDS, onCase: (r) => void cases.push(r), ...extra } });
  return city;
}

function post(c: TestCity, fields: Record<string, string>) {
  return c.fetch('/open311/v2/requests.json', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
}

const bin = { api_key: 'k1', service_code: 'bin-overflow', lat: '20.05', long: '110.35', description: 'bin full' };

describe('Open311 GeoReport v2 through the gateway', () => {
  it('lists services and their definitions with attributes', async () => {
    const c = await start();
    const list = (await (await c.fetch('/open311/v2/services.json')).json()) as Array<{ service_code: string; metadata: boolean }>;
    expect(list.map((s) => s.service_code)).toEqual(['bin-overflow', 'signal-broken', 'smoke-smell', 'road-hazard']);
    const definition = (await (await c.fetch('/open311/v2/services/signal-broken.json')).json()) as { attributes: Array<{ code: string; required: boolean; values: unknown[] }> };
    expect(definition.attributes[0]).toMatchObject({ code: 'state', required: true });
    expect(definition.attributes[0]!.values).toHaveLength(3);
    const unknown = await c.fetch('/open311/v2/services/unicorn.json');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual([{ code: 404, description: "service_code 'unicorn' is not a service of this city" }]);
  });

  it('files a request, finds it by id and by each filter', async () => {
    const cases: ServiceRequest[] = [];
    const c = await start({}, cases);
    const created = await post(c, bin);
    expect(created.status).toBe(201);
    const id = ((await created.json()) as Array<{ service_request_id: string }>)[0]!.service_request_id;
    expect(cases.map((r) => r.service_request_id)).toEqual([id]);
    expect(cases[0]!.agency_responsible).toBe('waste');
    await post(c, { api_key: 'k1', service_code: 'smoke-smell', address_string: '1 Harbour Road' });
    const byId = (await (await c.fetch(`/open311/v2/requests/${id}.json`)).json()) as ServiceRequest[];
    expect(byId[0]).toMatchObject({ service_request_id: id, status: 'open', service_code: 'bin-overflow', lat: 20.05 });
    const q = async (query: string) => ((await (await c.fetch(`/open311/v2/requests.json?${query}`)).json()) as ServiceRequest[]).map((r) => r.service_code);
    expect(await q('')).toEqual(['bin-overflow', 'smoke-smell']);
    expect(await q('service_code=smoke-smell')).toEqual(['smoke-smell']);
    expect(await q(`service_request_id=${id}`)).toEqual(['bin-overflow']);
    expect(await q('status=closed')).toEqual([]);
    expect(await q('start_date=2100-01-01T00:00:00Z')).toEqual([]);
    expect(await q('end_date=2000-01-01T00:00:00Z')).toEqual([]);
    expect((await c.fetch('/open311/v2/requests.json?start_date=yesterday')).status).toBe(400);
    expect((await c.fetch('/open311/v2/requests.json?status=maybe')).status).toBe(400);
    expect((await c.fetch('/open311/v2/requests/SR-999.json')).status).toBe(404);
  });

  it('merges a duplicate (same service, a few metres and minutes away) into the open request', async () => {
    const cases: ServiceRequest[] = [];
    const c = await start({}, cases);
    const first = (await (await post(c, bin)).json()) as Array<{ service_request_id: string }>;
    const again = (await (await post(c, { ...bin, lat: '20.0501' })).json()) as Array<{ service_request_id: string; service_notice: string }>;
    expect(again[0]!.service_request_id).toBe(first[0]!.service_request_id);
    const far = (await (await post(c, { ...bin, lat: '20.06' })).json()) as Array<{ service_request_id: string }>;
    expect(far[0]!.service_request_id).not.toBe(first[0]!.service_request_id);
    expect(cases).toHaveLength(2);
    const [merged] = (await (await c.fetch(`/open311/v2/requests/${first[0]!.service_request_id}.json`)).json()) as ServiceRequest[];
    expect(merged!.reports).toBe(2);
  });

  it.each([
    ['api_key', 403, 'api_key is required'],
    ['service_code', 400, 'service_code is required'],
    ['lat', 400, 'lat and long must both be decimal degrees'],
  ])('refuses a request without %s in the GeoReport error format', async (field, status, description) => {
    const c = await start();
    const fields: Record<string, string> = { ...bin };
    delete fields[field];
    const response = await post(c, fields);
    expect(response.status).toBe(status);
    expect(await response.json()).toContainEqual({ code: status, description });
  });

  it.each([
    [{ lat: undefined, long: undefined }, 'a location is required: lat and long, or address_string'],
    [{ lat: 'north' }, 'lat and long must both be decimal degrees'],
    [{ lat: '48.85', long: '2.35' }, 'location 48.85,2.35 is outside the city'],
    [{ description: 'x'.repeat(4001) }, 'description is longer than 4000 characters'],
    [{ media_url: `https://photos.example/${'a'.repeat(2048)}` }, 'media_url is longer than 2048 characters'],
    [{ media_url: 'javascript:alert(1)' }, 'media_url must be an http or https URL'],
    [{ service_code: 'signal-broken' }, 'attribute state is required'],
    [{ service_code: 'signal-broken', 'attribute[state]': 'purple' }, 'attribute state must be one of dark, stuck, flashing'],
  ])('refuses bad values %j with 400', async (change, description) => {
    const c = await start();
    const fields: Record<string, string> = { ...bin };
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) delete fields[k];
      else fields[k] = v;
    }
    const response = await post(c, fields);
    expect(response.status).toBe(400);
    expect(await response.json()).toContainEqual({ code: 400, description });
  });

  it('refuses an unknown service code with 404 and an unreadable body with 400 or 415', async () => {
    const c = await start();
    expect((await post(c, { ...bin, service_code: 'unicorn' })).status).toBe(404);
    expect((await c.fetch('/open311/v2/requests.json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })).status).toBe(400);
    expect((await c.fetch('/open311/v2/requests.json', { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<x/>' })).status).toBe(415);
    const json = await c.fetch('/open311/v2/requests.json', { method: 'POST', json: { ...bin, service_code: 'signal-broken', attribute: { state: 'dark' } } });
    expect(json.status).toBe(201);
  });

  it('publishes each new case as citizen.request.filed, which citizen-services routes to waste', async () => {
    const { default: citizenServices } = await import('@polis/plugin-citizen-services');
    const seen: string[] = [];
    const { waste } = await import('@polis/contracts');
    const { definePlugin } = await import('@polis/plugin-api');
    const wasteDesk = definePlugin({ name: 'waste-desk', version: '1.0.0', kernel: '^1', consumes: [waste.CollectionRequested], setup(ctx) { ctx.on(waste.CollectionRequested, (e) => void seen.push(e.data.requestId)); } });
    city = await startTestCity({ plugins: [citizenServices, wasteDesk], open311: { bounds: BOUNDS } });
    expect((await post(city, bin)).status).toBe(201);
    await expect.poll(() => seen).toEqual(['SR-1']);
  });

  it('answers a flood from one api_key with 429, other keys still served', async () => {
    const c = await start({ rateLimit: { requests: 3, windowMs: 60_000 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(c, { ...bin, lat: String(20.01 + i * 0.01) })).status);
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    const refused = await post(c, bin);
    expect(await refused.json()).toEqual([{ code: 429, description: 'too many requests from this api_key; try again later' }]);
    expect((await post(c, { ...bin, api_key: 'k2' })).status).toBe(201);
  });

  it("shows the department's progress on the request (status notes, closed when resolved), urgent levels and the desk's URL announced on the bus", async () => {
    const { default: citizenServices } = await import('@polis/plugin-citizen-services');
    const { citizen } = await import('@polis/contracts');
    const { definePlugin } = await import('@polis/plugin-api');
    const desks: string[] = [];
    const orders: Array<{ caseId: string; resolveBy: string }> = [];
    // A department answering work orders, knowing only the contracts.
    const signalCrew = definePlugin({
      name: 'signal-crew',
      version: '1.0.0',
      kernel: '^1',
      consumes: [citizen.CaseRouted, citizen.DeskOpened],
      publishes: [citizen.CaseProgressed],
      setup(ctx) {
        ctx.on(citizen.DeskOpened, (e) => void desks.push(e.data.open311Url));
        ctx.on(citizen.CaseRouted, async (e, scope) => {
          orders.push(e.data);
          await scope.publish(citizen.CaseProgressed, { caseId: e.data.caseId, department: 'traffic', status: 'acknowledged', note: 'crew assigned' });
          ctx.clock.setTimeout(() => void ctx.scopeFor(e).publish(citizen.CaseProgressed, { caseId: e.data.caseId, department: 'traffic', status: 'resolved', note: 'signal repaired' }), 100);
        });
      },
    });
    city = await startTestCity({ plugins: [citizenServices, signalCrew], open311: { bounds: BOUNDS } });
    await expect.poll(() => desks).toEqual([`${city.gateway.url}/open311/v2`]);
    const created = await post(city, { api_key: 'k1', service_code: 'signal-broken', lat: '20.05', long: '110.35', 'attribute[state]': 'dark', 'attribute[priority]': 'urgent' });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as Array<{ service_request_id: string }>)[0]!.service_request_id;
    const read = async () => ((await (await city!.fetch(`/open311/v2/requests/${id}.json`)).json()) as ServiceRequest[])[0]!;
    await expect.poll(async () => (await read()).status_notes, { timeout: 3000 }).toBe('traffic: signal repaired');
    expect(await read()).toMatchObject({ status: 'closed', agency_responsible: 'traffic' });
    // Urgent: resolve within an hour of filing, not two (the plugin's clock read a few ms after the gateway's).
    expect(Date.parse(orders[0]!.resolveBy) - Date.parse((await read()).requested_datetime)).toBeLessThan(61 * 60_000);
    const closed = (await (await city.fetch('/open311/v2/requests.json?status=closed')).json()) as ServiceRequest[];
    expect(closed.map((r) => r.service_request_id)).toEqual([id]);
  });

  it('refuses a priority that is not one of its values', async () => {
    const c = await start();
    const response = await post(c, { ...bin, 'attribute[priority]': 'yesterday' });
    expect(response.status).toBe(400);
    expect(await response.json()).toContainEqual({ code: 400, description: 'attribute priority must be one of low, normal, urgent' });
  });
});
