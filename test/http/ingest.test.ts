import { MemoryTransport } from '@polis/kernel';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { ADMIN_TOKEN, DASHBOARD_TOKEN, SENSOR_TOKEN, reportEvent, startTestCity } from './gateway-fixture.js';
import type { TestCity } from './gateway-fixture.js';

let city: TestCity | undefined;
afterEach(async () => {
  await city?.stop();
  city = undefined;
});

const structured = { 'content-type': 'application/cloudevents+json' };
const batch = { 'content-type': 'application/cloudevents-batch+json' };
const binary = (id: string, type = 'test.report.received') => ({ 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': 'urn:sensor:42', 'ce-type': type });

async function problemOf(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as Record<string, unknown>;
  expect(problem).toMatchObject({ status: response.status, type: expect.stringMatching(/^urn:polis:problem:/), title: expect.any(String), detail: expect.any(String) });
  expect(JSON.stringify(problem)).not.toMatch(/\n\s+at |\.ts:\d+/);
  return problem;
}

describe('POST /events (CloudEvents HTTP binding)', () => {
  it('accepts a binary-mode event with 202 and its id, and publishes it as the declared source', async () => {
    city = await startTestCity();
    const response = await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: binary('call-1'), body: JSON.stringify({ reportId: 'r1', casualties: 2 }) });
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as { id: string; clientId: string };
    expect(accepted).toMatchObject({ clientId: 'call-1', type: 'test.report.received', duplicate: false });
    await waitFor(() => city!.received.length === 1);
    expect(city.received[0]).toMatchObject({ id: accepted.id, source: 'field-sensors', data: { reportId: 'r1', casualties: 2 } });
  });

  it('accepts a structured-mode event, percent-decoding nothing and keeping subject and priority', async () => {
    city = await startTestCity();
    const event = { ...reportEvent('call-2'), subject: 'crossing 7', priority: 'emergency' };
    const response = await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: structured, body: JSON.stringify(event) });
    expect(response.status).toBe(202);
    await waitFor(() => city!.received.length === 1);
    expect(city.received[0]).toMatchObject({ subject: 'crossing 7', priority: 'emergency', source: 'field-sensors' });
  });

  it('continues the trace each structured or batched event carries (distributed tracing extension), else the request\'s', async () => {
    city = await startTestCity();
    const own = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const other = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00';
    const request = '00-11111111111111111111111111111111-2222222222222222-01';
    const single = await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: { ...structured, traceparent: request }, body: JSON.stringify({ ...reportEvent('t-1'), traceparent: own, tracestate: 'congo=t61rcWkgMzE' }) });
    expect(single.status).toBe(202);
    const events = [{ ...reportEvent('t-2'), traceparent: other }, reportEvent('t-3')];
    const batched = await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: { ...batch, traceparent: request }, body: JSON.stringify(events) });
    expect(batched.status).toBe(202);
    await waitFor(() => city!.received.length === 3);
    const byClient = (n: number) => city!.received[n]!;
    // The trace id and the flags are the event's own; the parent is a span of the gateway.
    expect(byClient(0)).toMatchObject({ traceparent: expect.stringMatching(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/), tracestate: 'congo=t61rcWkgMzE' });
    expect(byClient(1).traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-00$/);
    expect(byClient(2).traceparent).toMatch(/^00-11111111111111111111111111111111-[0-9a-f]{16}-01$/);
  });

  it('refuses a malformed traceparent or tracestate attribute with 400 naming it', async () => {
    city = await startTestCity();
    for (const [attributes, path] of [
      [{ traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' }, '/traceparent'],
      [{ traceparent: 42 }, '/traceparent'],
      [{ tracestate: 'congo=t61rcWkgMzE' }, '/tracestate'],
    ] as const) {
      const response = await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: structured, body: JSON.stringify({ ...reportEvent('t-bad'), ...attributes }) });
      expect(response.status).toBe(400);
      expect(await problemOf(response)).toMatchObject({ code: 'POLIS_HTTP_CLOUDEVENT_INVALID', errors: [{ path, rule: 'format' }] });
    }
    expect(city.received).toHaveLength(0);
  });

  it('answers a batch with one result per event: the valid ones are published, each bad one says why', async () => {
    city = await startTestCity();
    const events = [
      reportEvent('b-1'),
      reportEvent('b-2', { reportId: 'b-2', casualties: -1 }),
      { ...reportEvent('b-3'), type: 'test.forbidden.type' },
      { id: 'b-4' },
      reportEvent('b-5'),
    ];
    const response = await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: batch, body: JSON.stringify(events) });
    expect(response.status).toBe(207);
    const reply = (await response.json()) as { accepted: number; refused: number; results: Array<Record<string, any>> };
    expect(reply).toMatchObject({ accepted: 2, refused: 3 });
    expect(reply.results.map((r) => r.status)).toEqual([202, 422, 403, 400, 202]);
    expect(reply.results[1]!.problem).toMatchObject({ code: 'POLIS_EVENT_INVALID', errors: [{ path: '/casualties', rule: 'minimum' }] });
    expect(reply.results[2]!.problem).toMatchObject({ code: 'POLIS_HTTP_FORBIDDEN' });
    expect(reply.results[3]!.problem.code).toBe('POLIS_HTTP_CLOUDEVENT_INVALID');
    expect(reply.results[3]!.problem.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['/specversion', '/source', '/type']));
    await waitFor(() => city!.received.length === 2);
    expect(city.received.map((e) => (e.data as { reportId: string }).reportId)).toEqual(['b-1', 'b-5']);
  });

  it('answers an all-valid batch with 202', async () => {
    city = await startTestCity();
    const response = await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: batch, body: JSON.stringify([reportEvent('c-1'), reportEvent('c-2')]) });
    expect(response.status).toBe(202);
    expect(((await response.json()) as { accepted: number }).accepted).toBe(2);
  });

  it('publishes a resent id once and answers the repeat with the first id', async () => {
    city = await startTestCity();
    const send = () => city!.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: structured, body: JSON.stringify(reportEvent('same-id')) });
    const first = (await (await send()).json()) as { id: string };
    const second = (await (await send()).json()) as { id: string; duplicate: boolean };
    expect(second).toMatchObject({ id: first.id, duplicate: true });
    await waitFor(() => city!.received.length === 1);
    await (city.kernel.bus.transport as MemoryTransport).settled();
    expect(city.received).toHaveLength(1);
  });

  it('refuses data that fails its schema with 422, the JSON path and the rule', async () => {
    city = await startTestCity();
    const response = await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: structured, body: JSON.stringify(reportEvent('bad', { reportId: 'x', casualties: 'two', extra: 1 })) });
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.code).toBe('POLIS_EVENT_INVALID');
    expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/casualties', rule: 'type' }), expect.objectContaining({ path: '/extra', rule: 'additionalProperties' })]));
    expect(city.received).toEqual([]);
  });

  it.each([
    ['no token', undefined, 401, 'POLIS_HTTP_UNAUTHORIZED'],
    ['an unknown token', 'not-a-token-of-this-city-at-all', 401, 'POLIS_HTTP_UNAUTHORIZED'],
    ['a source that may not publish the type', DASHBOARD_TOKEN, 403, 'POLIS_HTTP_FORBIDDEN'],
    ['the admin token', ADMIN_TOKEN, 403, 'POLIS_HTTP_FORBIDDEN'],
  ])('refuses a caller with %s', async (_what, token, status, code) => {
    city = await startTestCity();
    const response = await city.fetch('/events', { method: 'POST', token, headers: structured, body: JSON.stringify(reportEvent('x')) });
    expect(response.status).toBe(status);
    expect((await problemOf(response)).code).toBe(code);
    if (status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it.each([
    ['malformed JSON', structured, '{"specversion": "1.0",', 400, 'POLIS_HTTP_BODY_MALFORMED'],
    ['a body that is not UTF-8', structured, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 400, 'POLIS_HTTP_BODY_MALFORMED'],
    ['a content type that is no CloudEvent', { 'content-type': 'text/plain' }, 'hello', 415, 'POLIS_HTTP_UNSUPPORTED_MEDIA_TYPE'],
    ['a charset other than UTF-8', { 'content-type': 'application/cloudevents+json; charset=latin1' }, '{}', 415, 'POLIS_HTTP_UNSUPPORTED_MEDIA_TYPE'],
    ['a batch that is no array', batch, '{"id": 1}', 400, 'POLIS_HTTP_BATCH_INVALID'],
    ['an empty batch', batch, '[]', 400, 'POLIS_HTTP_BATCH_INVALID'],
    ['a structured event that is an array', structured, '[1]', 400, 'POLIS_HTTP_CLOUDEVENT_INVALID'],
    ['a wrong specversion', structured, JSON.stringify({ ...reportEvent('v'), specversion: '0.3' }), 400, 'POLIS_HTTP_CLOUDEVENT_INVALID'],
    ['an attribute name CloudEvents forbids', structured, JSON.stringify({ ...reportEvent('n'), Bad_Name: 1 }), 400, 'POLIS_HTTP_CLOUDEVENT_INVALID'],
    ['a non-JSON datacontenttype', structured, JSON.stringify({ ...reportEvent('d'), datacontenttype: 'text/xml' }), 400, 'POLIS_HTTP_CLOUDEVENT_INVALID'],
    ['data and data_base64 together', structured, JSON.stringify({ ...reportEvent('d'), data_base64: 'e30=' }), 400, 'POLIS_HTTP_CLOUDEVENT_INVALID'],
    ['a time that is not RFC 3339', structured, JSON.stringify({ ...reportEvent('t'), time: 'yesterday' }), 400, 'POLIS_HTTP_CLOUDEVENT_INVALID'],
    ['a type no plugin declares', structured, JSON.stringify({ ...reportEvent('u'), type: 'test.unknown.thing' }), 422, 'POLIS_EVENT_UNKNOWN_TYPE'],
    ['a dataschema naming no registered version', structured, JSON.stringify({ ...reportEvent('s'), dataschema: 'urn:polis:schema:test.report.received:7' }), 422, 'POLIS_EVENT_UNKNOWN_TYPE'],
  ])('refuses %s', async (_what, headers, body, status, code) => {
    city = await startTestCity();
    const response = await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers, body });
    expect(response.status).toBe(status);
    expect((await problemOf(response)).code).toBe(code);
    expect(city.received).toEqual([]);
  });

  it('names the missing binary-mode header', async () => {
    city = await startTestCity();
    const headers: Record<string, string> = binary('h');
    delete headers['ce-id'];
    const response = await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers, body: '{"reportId":"h","casualties":0}' });
    expect(response.status).toBe(400);
    expect(await problemOf(response)).toMatchObject({ code: 'POLIS_HTTP_CLOUDEVENT_INVALID', errors: [{ path: '/ce-id', rule: 'required' }] });
  });

  it('refuses binary mode without JSON data, and a malformed percent-encoding', async () => {
    city = await startTestCity();
    const xml = await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: { ...binary('x'), 'content-type': 'application/xml' }, body: '<a/>' });
    expect(xml.status).toBe(415);
    const encoded = await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: { ...binary('x'), 'ce-subject': 'bad%zz' }, body: '{"reportId":"p","casualties":0}' });
    expect(encoded.status).toBe(400);
    expect((await problemOf(encoded)).code).toBe('POLIS_HTTP_CLOUDEVENT_INVALID');
  });

  it('decodes percent-encoded header values', async () => {
    city = await startTestCity();
    const response = await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: { ...binary('pe'), 'ce-subject': 'Shennan%20Blvd%20%E2%86%92%20Futian' }, body: '{"reportId":"pe","casualties":0}' });
    expect(response.status).toBe(202);
    await waitFor(() => city!.received.length === 1);
    expect(city.received[0]!.subject).toBe('Shennan Blvd → Futian');
  });

  it('refuses a body over the size limit with 413, and a batch over the event limit', async () => {
    city = await startTestCity({ maxBodyBytes: 2048, maxBatchEvents: 2 });
    const big = await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: structured, body: JSON.stringify(reportEvent('big', { reportId: 'x'.repeat(4000), casualties: 0 })) });
    expect(big.status).toBe(413);
    expect((await problemOf(big)).code).toBe('POLIS_HTTP_BODY_TOO_LARGE');
    const many = await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: batch, body: JSON.stringify([reportEvent('1'), reportEvent('2'), reportEvent('3')]) });
    expect(many.status).toBe(413);
    expect((await problemOf(many)).code).toBe('POLIS_HTTP_BATCH_INVALID');
  });

  it('decodes data_base64', async () => {
    city = await startTestCity();
    const { data, ...rest } = reportEvent('b64');
    const response = await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: structured, body: JSON.stringify({ ...rest, data_base64: Buffer.from(JSON.stringify(data)).toString('base64') }) });
    expect(response.status).toBe(202);
    await waitFor(() => city!.received.length === 1);
  });
});

describe('the gateway around every route', () => {
  it('answers unknown paths with a 404 problem, sets helmet headers and no x-powered-by', async () => {
    city = await startTestCity();
    const response = await city.fetch('/nowhere');
    expect(response.status).toBe(404);
    expect((await problemOf(response)).code).toBe('POLIS_HTTP_NOT_FOUND');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBeTruthy();
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('allows only the configured CORS origins', async () => {
    city = await startTestCity({ corsOrigins: ['https://ops.city.example'] });
    const preflight = (origin: string) =>
      city!.fetch('/events', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    const allowed = await preflight('https://ops.city.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://ops.city.example');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends no CORS headers when no origin is configured', async () => {
    city = await startTestCity();
    const response = await city.fetch('/healthz', { headers: { origin: 'https://ops.city.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
