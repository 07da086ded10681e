import { definePlugin } from '@polis/plugin-api';
import { afterEach, describe, expect, it } from 'vitest';
import { asyncApiDiagnostics } from '../support/asyncapi-diagnostics.js';
import { ADMIN_TOKEN, SENSOR_TOKEN, incidentDesk, reportEvent, startTestCity } from './gateway-fixture.js';
import type { TestCity } from './gateway-fixture.js';

let city: TestCity | undefined;
afterEach(async () => {
  await city?.stop();
  city = undefined;
});

describe('operations endpoints', () => {
  it('answers /healthz, and /readyz with the transport and every plugin', async () => {
    city = await startTestCity();
    expect(await (await city.fetch('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await city.fetch('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', transport: { name: 'memory', connected: true }, plugins: [{ name: 'incident-desk', version: '1.2.0', state: 'running' }] });
  });

  it('is not ready while a plugin has failed, nor while a readiness check fails', async () => {
    const broken = definePlugin({ name: 'broken', version: '1.0.0', kernel: '^1', setup() { throw new Error('no config'); } });
    city = await startTestCity({ plugins: [incidentDesk(), broken], readiness: [{ name: 'mqtt', check: () => ({ ready: false, state: 'reconnecting' }) }] });
    const ready = await city.fetch('/readyz');
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; plugins: Array<{ name: string; state: string; error?: { code: string } }>; checks: unknown[] };
    expect(body.status).toBe('not ready');
    expect(body.plugins.find((p) => p.name === 'broken')).toMatchObject({ state: 'failed', error: { code: 'POLIS_PLUGIN_SETUP_FAILED' } });
    expect(body.checks).toEqual([{ name: 'mqtt', ready: false, state: 'reconnecting' }]);
  });

  it('serves Prometheus metrics, HTTP requests counted by route pattern and status', async () => {
    city = await startTestCity();
    await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(reportEvent('m1')) });
    await city.fetch('/queries/unknown.query.type', { method: 'POST' });
    await city.fetch('/no/such/path');
    const response = await city.fetch('/metrics');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('polis_http_requests_total{method="POST",route="/events",status="202"} 1');
    expect(text).toContain('polis_http_requests_total{method="POST",route="/queries/:type",status="401"} 1');
    expect(text).toContain('polis_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toMatch(/polis_http_request_duration_seconds_count\{method="POST",route="\/events"\} 1/);
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('serves an OpenAPI 3.1 document with a path per registered query', async () => {
    city = await startTestCity();
    const document = (await (await city.fetch('/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown>; components: { securitySchemes: Record<string, unknown> } };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/events', '/events/stream', '/queries/{type}', '/queries/test.incident.count', '/admin/plugins', '/admin/plugins/{name}', '/readyz', '/metrics']));
    expect(document.paths['/queries/test.incident.count']).toMatchObject({ post: { requestBody: { content: { 'application/json': { schema: { required: ['minCasualties'] } } } } } });
    expect(document.components.securitySchemes).toHaveProperty('adminToken');
  });

  it('serves the AsyncAPI document of the running city, with the plugins and sources as operations', async () => {
    city = await startTestCity();
    const document = (await (await city.fetch('/asyncapi.json')).json()) as { operations: Record<string, { action: string }>; channels: Record<string, unknown> };
    expect(Object.keys(document.channels)).toEqual(expect.arrayContaining(['test.report.received', 'test.incident.opened', 'test.incident.count', 'test.incident.count.reply']));
    expect(document.operations['incident-desk.receive.test.report.received']).toMatchObject({ action: 'receive' });
    expect(document.operations['field-sensors.send.test.report.received']).toMatchObject({ action: 'send' });
    expect(document.operations['dashboard.send.test.incident.count']).toMatchObject({ action: 'send', reply: expect.any(Object) });
    const errors = (await asyncApiDiagnostics(document)).filter((d) => d.severity === 0);
    expect(errors).toEqual([]);
  });

  it('lists plugins for the admin token only', async () => {
    city = await startTestCity();
    expect((await city.fetch('/admin/plugins', { token: SENSOR_TOKEN })).status).toBe(403);
    expect((await city.fetch('/admin/plugins')).status).toBe(401);
    const list = (await (await city.fetch('/admin/plugins', { token: ADMIN_TOKEN })).json()) as { plugins: unknown[] };
    expect(list.plugins).toEqual([{ name: 'incident-desk', version: '1.2.0', state: 'running', counts: { published: 0, handled: 0, deadLettered: 0 } }]);
  });
});
