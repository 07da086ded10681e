import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fiwareEntityEventSchema } from '@polis/contracts';
import { MemoryTransport } from '@polis/kernel';
import { defineEvent, definePlugin } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { startTestCity } from './gateway-fixture.js';
import type { TestCity } from './gateway-fixture.js';

// Real FIWARE Smart Data Models examples (CC BY 4.0, "FIWARE Smart Data Models, smart-data-models on GitHub").
const examples = join(import.meta.dirname, '../fixtures/smart-data-models/AirQualityObserved/examples');
const example = (file: string) => JSON.parse(readFileSync(join(examples, file), 'utf8')) as Record<string, unknown>;

const AirQualityObserved = defineEvent({ type: 'environment.airquality.observed', version: 1, schema: fiwareEntityEventSchema('AirQualityObserved') });
const BROKER_TOKEN = 'orion-ld-broker-token-0123456789';
const READ_ONLY_TOKEN = 'read-only-token-0123456789abcdef';

let city: TestCity | undefined;
afterEach(async () => {
  await city?.stop();
  city = undefined;
});

async function startAirCity(received: CloudEvent[]): Promise<TestCity> {
  const monitor = definePlugin({
    name: 'air-monitor',
    version: '1.0.0',
    kernel: '^1',
    consumes: [AirQualityObserved],
    setup(ctx) {
      ctx.on(AirQualityObserved, (event) => void received.push(event));
    },
  });
  return startTestCity({
    plugins: [monitor],
    sources: [
      { name: 'orion-ld', token: BROKER_TOKEN, publishes: ['environment.airquality.observed'], consumes: [], requests: [] },
      { name: 'read-only', token: READ_ONLY_TOKEN, publishes: [], consumes: [], requests: [] },
    ],
    ngsiLd: { entities: [{ entityType: 'AirQualityObserved', event: 'environment.airquality.observed', datasetId: 'urn:ngsi-ld:Dataset:reference-station', language: 'en' }] },
  });
}

const notification = (...entities: unknown[]) => ({
  id: `urn:ngsi-ld:Notification:${Math.random().toString(16).slice(2)}`,
  type: 'Notification',
  subscriptionId: 'urn:ngsi-ld:Subscription:air',
  notifiedAt: '2026-03-15T11:00:05Z',
  data: entities,
});

/**
 * The SDM example made valid: tsp an integer, dateObserved with a time zone; the normalized example
 * also has a windDirection of 186 where the schema's maximum is 180 (the key-values one says 176).
 */
function validAir(entity: Record<string, unknown>, normalized: boolean): Record<string, unknown> {
  return normalized
    ? { ...entity, tsp: { type: 'Property', value: 73 }, dateObserved: { type: 'Property', value: '2016-03-15T11:00:00Z' }, windDirection: { type: 'Property', value: 176 } }
    : { ...entity, tsp: 73, dateObserved: '2016-03-15T11:00:00Z' };
}

describe('POST /ngsi-ld/notify', () => {
  it('refuses the real AirQualityObserved example, whose tsp 73.3 breaks its own schema, naming /tsp', async () => {
    const received: CloudEvent[] = [];
    city = await startAirCity(received);
    const response = await city.fetch('/ngsi-ld/notify', { method: 'POST', token: BROKER_TOKEN, headers: { 'ngsild-attribute-format': 'Simplified' }, json: notification(example('example.json')) });
    expect(response.status).toBe(207);
    const reply = (await response.json()) as { accepted: number; results: Array<{ status: number; entityId: string; problem: { code: string; errors: Array<{ path: string; rule: string }> } }> };
    expect(reply.accepted).toBe(0);
    expect(reply.results[0]).toMatchObject({ status: 422, entityId: example('example.json').id, problem: { code: 'POLIS_EVENT_INVALID' } });
    expect(reply.results[0]!.problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/tsp', rule: 'type' })]));
    expect(received).toEqual([]);
  });

  it('refuses the normalized NGSI-LD example for the same reason', async () => {
    city = await startAirCity([]);
    const response = await city.fetch('/ngsi-ld/notify', { method: 'POST', token: BROKER_TOKEN, json: notification(example('example-normalized.jsonld')) });
    const reply = (await response.json()) as { results: Array<{ problem: { errors: Array<{ path: string }> } }> };
    expect(reply.results[0]!.problem.errors.map((e) => e.path)).toContain('/tsp');
  });

  it('publishes valid entities in normalized, concise and key-values form as key-values, each once, and refuses only the bad one', async () => {
    const received: CloudEvent[] = [];
    city = await startAirCity(received);
    const normalized = validAir(example('example-normalized.jsonld'), true);
    const { ['@context']: _context, ...keyValues } = validAir(example('example.json'), false);
    const concise = {
      ...keyValues,
      id: 'urn:ngsi-ld:AirQualityObserved:concise-1',
      // A multi-attribute: two stations measure NO2; the mapping keeps the reference station.
      no2: [{ value: 71, unitCode: 'GQ', datasetId: 'urn:ngsi-ld:Dataset:low-cost-sensor' }, { value: 69, unitCode: 'GQ', datasetId: 'urn:ngsi-ld:Dataset:reference-station' }],
      name: { languageMap: { zh: '福田监测站', en: 'Futian monitoring station' } },
    };
    const body = notification(normalized, { ...keyValues, id: 'urn:ngsi-ld:AirQualityObserved:kv-1' }, concise, { ...concise, id: 'urn:ngsi-ld:AirQualityObserved:bad', tsp: 'a lot' });
    const response = await city.fetch('/ngsi-ld/notify', { method: 'POST', token: BROKER_TOKEN, headers: { 'content-type': 'application/ld+json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(207);
    const reply = (await response.json()) as { accepted: number; results: Array<{ status: number; problem?: { errors: Array<{ path: string }> } }> };
    expect(reply.results.map((r) => r.status)).toEqual([202, 202, 202, 422]);
    expect(reply.results[3]!.problem!.errors.map((e) => e.path)).toContain('/tsp');
    await waitFor(() => received.length === 3);
    const concised = received.find((event) => (event.data as { entity: { id: string } }).entity.id === 'urn:ngsi-ld:AirQualityObserved:concise-1')!;
    expect(concised).toMatchObject({ source: 'orion-ld', subject: 'urn:ngsi-ld:AirQualityObserved:concise-1', data: { entity: { no2: 69, name: 'Futian monitoring station', tsp: 73 } } });
    expect((received[0]!.data as { entity: Record<string, unknown> }).entity.co).toBe(500);

    // The broker retries the same notification: nothing is published twice.
    const again = await city.fetch('/ngsi-ld/notify', { method: 'POST', token: BROKER_TOKEN, json: body });
    const retried = (await again.json()) as { results: Array<{ duplicate?: boolean }> };
    expect(retried.results.slice(0, 3).every((r) => r.duplicate === true)).toBe(true);
    await (city.kernel.bus.transport as MemoryTransport).settled();
    expect(received).toHaveLength(3);
  });

  it('refuses an entity type the city does not map, and an expanded type IRI maps by its name', async () => {
    const received: CloudEvent[] = [];
    city = await startAirCity(received);
    const { ['@context']: _c, ...air } = validAir(example('example.json'), false);
    const response = await city.fetch('/ngsi-ld/notify', {
      method: 'POST',
      token: BROKER_TOKEN,
      json: notification({ id: 'urn:ngsi-ld:WasteContainer:1', type: 'WasteContainer' }, { ...air, type: 'https://smartdatamodels.org/dataModel.Environment/AirQualityObserved' }),
    });
    const reply = (await response.json()) as { results: Array<{ status: number; problem?: { code: string } }> };
    expect(reply.results.map((r) => [r.status, r.problem?.code])).toEqual([[422, 'POLIS_HTTP_ENTITY_UNMAPPED'], [202, undefined]]);
    await waitFor(() => received.length === 1);
  });

  it.each([
    ['a body that is no notification', [1, 2], 400, 'POLIS_HTTP_NOTIFICATION_INVALID'],
    ['a notification without entities', { type: 'Notification', data: [] }, 400, 'POLIS_HTTP_NOTIFICATION_INVALID'],
    ['another NGSI-LD message type', { type: 'ContextSourceNotification', data: [{}] }, 400, 'POLIS_HTTP_NOTIFICATION_INVALID'],
  ])('refuses %s', async (_what, body, status, code) => {
    city = await startAirCity([]);
    const response = await city.fetch('/ngsi-ld/notify', { method: 'POST', token: BROKER_TOKEN, json: body });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { code: string }).code).toBe(code);
  });

  it('refuses an unknown attribute format, a source that may not publish the mapped type, and no token', async () => {
    city = await startAirCity([]);
    const format = await city.fetch('/ngsi-ld/notify', { method: 'POST', token: BROKER_TOKEN, headers: { 'ngsild-attribute-format': 'Fancy' }, json: notification({ id: 'a', type: 'AirQualityObserved' }) });
    expect(format.status).toBe(400);
    const { ['@context']: _c, ...air } = validAir(example('example.json'), false);
    const forbidden = await city.fetch('/ngsi-ld/notify', { method: 'POST', token: READ_ONLY_TOKEN, json: notification(air) });
    const reply = (await forbidden.json()) as { results: Array<{ status: number; problem: { code: string } }> };
    expect(reply.results[0]).toMatchObject({ status: 403, problem: { code: 'POLIS_HTTP_FORBIDDEN' } });
    expect((await city.fetch('/ngsi-ld/notify', { method: 'POST', json: notification({}) })).status).toBe(401);
  });
});
