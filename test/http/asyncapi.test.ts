import { asyncApiDocument } from '@polis/http';
import type { AnyPlugin } from '@polis/plugin-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoCityPlugins } from '../e2e/demo-city.js';
import { asyncApiDiagnostics } from '../support/asyncapi-diagnostics.js';

type Json = Record<string, unknown>;

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refsIn(value)));
}

function resolve(document: Json, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, token) => (node as Json | undefined)?.[token], document);
}

describe('the AsyncAPI document of a city', () => {
  let plugins: AnyPlugin[];
  let document: Json;
  beforeAll(async () => {
    plugins = (await demoCityPlugins()).map((entry) => entry.plugin);
    document = asyncApiDocument({
      name: 'demo-city',
      plugins,
      sources: [{ name: 'sensor-gateway', via: 'http', publishes: ['traffic.detector.reported', 'traffic.flow.observed'], consumes: ['safety.>'], requests: ['traffic.route.find'] }],
      http: '127.0.0.1:8080',
      nats: { servers: ['nats://10.0.0.5:4222'], prefix: 'shenzhen' },
    });
  });

  it('is AsyncAPI 3.0 that @asyncapi/parser reads with no error', async () => {
    const errors = (await asyncApiDiagnostics(document)).filter((d) => d.severity === 0);
    expect(errors.map((e) => `${e.path.join('/')}: ${e.message}`)).toEqual([]);
  });

  it('has a channel per event type and per query and its reply, and the operations of the emergency chain', () => {
    const channels = document.channels as Record<string, { address: string }>;
    for (const type of ['safety.report.received', 'safety.incident.opened', 'health.ambulance.dispatched', 'traffic.corridor.planned', 'traffic.route.find', 'traffic.route.find.reply']) {
      expect(channels[type]?.address, type).toBe(type);
    }
    const operations = document.operations as Record<string, { action: string; reply?: unknown }>;
    expect(operations['public-safety.receive.safety.report.received']?.action).toBe('receive');
    expect(operations['healthcare.send.health.ambulance.dispatched']?.action).toBe('send');
    expect(operations['sensor-gateway.send.traffic.detector.reported']?.action).toBe('send');
    expect(operations['sensor-gateway.receive.safety.incident.opened']?.action).toBe('receive');
    expect(operations['traffic.receive.traffic.route.find']).toMatchObject({ action: 'receive', reply: { channel: { $ref: '#/channels/traffic.route.find.reply' } } });
    expect(document.servers).toMatchObject({ gateway: { protocol: 'http' }, nats: { protocol: 'nats', host: '10.0.0.5:4222' } });
  });

  it('bundles every schema into components: each $ref points inside the document and resolves there', () => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(100);
    for (const ref of new Set(refs)) {
      expect(ref.startsWith('#/'), ref).toBe(true);
      expect(resolve(document, ref), ref).toBeDefined();
    }
  });

  it('keeps FIWARE definitions shared by several schemas once, and cites the Smart Data Model', () => {
    const schemas = (document.components as { schemas: Record<string, unknown>; messages: Record<string, { externalDocs?: { url: string } }> }).schemas;
    const texts = Object.values(schemas).map((schema) => JSON.stringify(schema));
    expect(new Set(texts).size).toBe(texts.length);
    const messages = (document.components as { messages: Record<string, { externalDocs?: { url: string; description: string } }> }).messages;
    expect(messages['traffic.flow.observed.v1']!.externalDocs).toEqual({
      url: 'https://smart-data-models.github.io/dataModel.Transportation/TrafficFlowObserved/schema.json',
      description: expect.stringContaining('TrafficFlowObserved'),
    });
    expect(messages['safety.report.received.v1']!.externalDocs).toBeUndefined();
  });
});
