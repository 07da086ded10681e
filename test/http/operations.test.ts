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

describe('the admin API refuses what it cannot do, each with its status and code', () => {
  const second = definePlugin({ name: 'second-desk', version: '2.0.0', kernel: '^1', setup() {} });
  const catalogue: Record<string, unknown> = { 'second-desk': second, 'not-a-plugin': { name: 'x' } };
  const resolvePlugin = async (specifier: string) => {
    if (!(specifier in catalogue)) throw new Error(`Cannot find package '${specifier}'`);
    return catalogue[specifier] as typeof second;
  };
  const send = (method: string, path: string, body?: unknown) => city!.fetch(path, { method, token: ADMIN_TOKEN, ...(body === undefined ? {} : { json: body }) });

  it.each([
    ['a body without a package', 'POST', '/admin/plugins', { config: {} }, 422, 'POLIS_HTTP_PARAMETER_INVALID'],
    ['unknown fields', 'POST', '/admin/plugins', { package: 'second-desk', extra: true }, 422, 'POLIS_HTTP_PARAMETER_INVALID'],
    ['a package that cannot be found', 'POST', '/admin/plugins', { package: 'nowhere' }, 422, 'POLIS_DEPLOYMENT_INVALID'],
    ['a package whose export is no plugin', 'POST', '/admin/plugins', { package: 'not-a-plugin' }, 422, 'POLIS_STARTUP_FAILED'],
    ['a plugin already loaded', 'POST', '/admin/plugins', { package: 'incident-desk' }, 409, 'POLIS_PLUGIN_DUPLICATE'],
    ['unloading a plugin that is not loaded', 'DELETE', '/admin/plugins/ghost', undefined, 404, 'POLIS_PLUGIN_NOT_FOUND'],
    ['a cascade that is no boolean', 'DELETE', '/admin/plugins/incident-desk?cascade=maybe', undefined, 400, 'POLIS_HTTP_PARAMETER_INVALID'],
    ['an upgrade whose package holds another plugin', 'PUT', '/admin/plugins/incident-desk', { package: 'second-desk' }, 409, 'POLIS_HTTP_PARAMETER_INVALID'],
    ['upgrading a plugin that is not loaded', 'PUT', '/admin/plugins/second-desk', { package: 'second-desk' }, 404, 'POLIS_PLUGIN_NOT_FOUND'],
  ])('refuses %s', async (_what, method, path, body, status, code) => {
    const desk = incidentDesk();
    catalogue['incident-desk'] = desk;
    city = await startTestCity({ plugins: [desk], resolvePlugin });
    const response = await send(method, path, body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { code: string }).code).toBe(code);
  });

  it('loads, upgrades and unloads a plugin, and describes it while it runs', async () => {
    city = await startTestCity({ resolvePlugin });
    expect((await send('POST', '/admin/plugins', { package: 'second-desk' })).status).toBe(201);
    catalogue['second-desk-v3'] = definePlugin({ ...second, version: '3.0.0' });
    const upgraded = await send('PUT', '/admin/plugins/second-desk', { package: 'second-desk-v3' });
    expect(upgraded.status).toBe(200);
    const list = (await (await send('GET', '/admin/plugins')).json()) as { plugins: Array<{ name: string; version: string }> };
    expect(list.plugins.find((p) => p.name === 'second-desk')!.version).toBe('3.0.0');
    expect(await (await send('DELETE', '/admin/plugins/second-desk')).json()).toEqual({ unloaded: ['second-desk'] });
    expect(((await (await send('GET', '/admin/plugins')).json()) as { plugins: unknown[] }).plugins).toHaveLength(1);
  });
});
