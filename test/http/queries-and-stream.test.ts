import { afterEach, describe, expect, it } from 'vitest';
import { SseReader } from '../support/sse-reader.js';
import { waitFor } from '../support/wait-for.js';
import { DASHBOARD_TOKEN, SENSOR_TOKEN, reportEvent, startTestCity } from './gateway-fixture.js';
import type { TestCity } from './gateway-fixture.js';

let city: TestCity | undefined;
const readers: SseReader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.close();
  await city?.stop();
  city = undefined;
});

const report = (id: string, casualties = 1) =>
  city!.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(reportEvent(id, { reportId: id, casualties })) });

async function open(path: string, headers: Record<string, string> = {}, token: string | undefined = DASHBOARD_TOKEN): Promise<SseReader> {
  const response = await city!.fetch(path, { token, headers });
  const reader = new SseReader(response);
  readers.push(reader);
  return reader;
}

describe('POST /queries/<type>', () => {
  it('answers a query the source may ask, with the responder’s validated answer', async () => {
    city = await startTestCity();
    await report('q1', 3);
    await report('q2', 0);
    await waitFor(() => city!.received.length === 2);
    const response = await city.fetch('/queries/test.incident.count', { method: 'POST', token: DASHBOARD_TOKEN, json: { minCasualties: 1 } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ count: 1 });
  });

  it.each([
    ['a query the source may not ask', SENSOR_TOKEN, '/queries/test.incident.count', { minCasualties: 0 }, 403, 'POLIS_HTTP_FORBIDDEN'],
    ['no token', undefined, '/queries/test.incident.count', { minCasualties: 0 }, 401, 'POLIS_HTTP_UNAUTHORIZED'],
    ['a query nobody registered', DASHBOARD_TOKEN, '/queries/test.other.thing', {}, 404, 'POLIS_EVENT_UNKNOWN_TYPE'],
    ['request data that fails its schema', DASHBOARD_TOKEN, '/queries/test.incident.count', { minCasualties: -2 }, 422, 'POLIS_EVENT_INVALID'],
    ['a version that does not exist', DASHBOARD_TOKEN, '/queries/test.incident.count?version=9', { minCasualties: 0 }, 404, 'POLIS_EVENT_UNKNOWN_TYPE'],
    ['a version that is no integer', DASHBOARD_TOKEN, '/queries/test.incident.count?version=one', { minCasualties: 0 }, 400, 'POLIS_HTTP_PARAMETER_INVALID'],
    ['a timeout over the limit', DASHBOARD_TOKEN, '/queries/test.incident.count?timeoutMs=999999', { minCasualties: 0 }, 400, 'POLIS_HTTP_PARAMETER_INVALID'],
    ['a query nobody answers', DASHBOARD_TOKEN, '/queries/test.nobody.answers', {}, 503, 'POLIS_NO_RESPONDER'],
    ['a responder that fails', DASHBOARD_TOKEN, '/queries/test.trouble.make', { kind: 'fail' }, 502, 'POLIS_REQUEST_FAILED'],
    ['a responder too slow for the timeout', DASHBOARD_TOKEN, '/queries/test.trouble.make?timeoutMs=50', { kind: 'slow' }, 504, 'POLIS_REQUEST_TIMEOUT'],
  ])('refuses %s', async (_what, token, path, body, status, code) => {
    city = await startTestCity();
    const response = await city.fetch(path, { method: 'POST', token, json: body });
    expect(response.status).toBe(status);
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe(code);
    expect(problem.detail).not.toMatch(/\n\s+at /);
  });

  it('refuses a body that is not JSON, or not sent as JSON', async () => {
    city = await startTestCity();
    const malformed = await city.fetch('/queries/test.incident.count', { method: 'POST', token: DASHBOARD_TOKEN, headers: { 'content-type': 'application/json' }, body: '{"minCasualties":' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { code: string }).code).toBe('POLIS_HTTP_BODY_MALFORMED');
    const text = await city.fetch('/queries/test.incident.count', { method: 'POST', token: DASHBOARD_TOKEN, headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(text.status).toBe(415);
    const empty = await city.fetch('/queries/test.incident.count', { method: 'POST', token: DASHBOARD_TOKEN, headers: { 'content-type': 'application/json' } });
    expect(empty.status).toBe(400);
  });
});

describe('GET /events/stream (Server-Sent Events)', () => {
  it('streams the events of the asked types as CloudEvents, each with a resume id', async () => {
    city = await startTestCity();
    const stream = await open('/events/stream?types=test.incident.*');
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await report('s1');
    await waitFor(() => stream.messages().length === 1);
    expect(stream.messages()[0]).toMatchObject({ specversion: '1.0', type: 'test.incident.opened', source: 'incident-desk', data: { incidentId: 'INC-s1' } });
    expect(stream.events[0]!.id).toMatch(/^[0-9a-f]{8}-\d+$/);
  });

  it('resumes after Last-Event-ID with what the client missed, in order', async () => {
    city = await startTestCity();
    const first = await open('/events/stream?types=test.>');
    await report('r1');
    await waitFor(() => first.messages().length === 2);
    const resumeAt = first.lastId!;
    await first.close();
    await report('r2');
    await report('r3');
    await waitFor(() => city!.received.length === 3);
    const second = await open('/events/stream?types=test.>', { 'last-event-id': resumeAt });
    await waitFor(() => second.messages().length === 4);
    expect(second.messages().map((e) => e.type)).toEqual(['test.report.received', 'test.incident.opened', 'test.report.received', 'test.incident.opened']);
    expect(second.messages().map((e) => (e.data as { reportId?: string; incidentId?: string }).reportId ?? (e.data as { incidentId: string }).incidentId)).toEqual(['r2', 'INC-r2', 'r3', 'INC-r3']);
    await report('r4');
    await waitFor(() => second.messages().length === 6);
  });

  it('announces a gap when the buffer no longer holds what the client missed', async () => {
    city = await startTestCity({ stream: { bufferSize: 2 } });
    const first = await open('/events/stream?types=test.report.*');
    await report('g1');
    await waitFor(() => first.messages().length === 1);
    const resumeAt = first.lastId!;
    await first.close();
    for (const id of ['g2', 'g3', 'g4']) await report(id);
    await waitFor(() => city!.received.length === 4);
    const second = await open('/events/stream?types=test.report.*', { 'last-event-id': resumeAt });
    await waitFor(() => second.events.some((e) => e.event === 'polis.stream.gap'));
    const gap = JSON.parse(second.events.find((e) => e.event === 'polis.stream.gap')!.data) as { lastEventId: string };
    expect(gap.lastEventId).toBe(resumeAt);
    // The buffer of 2 holds the last two events of the stream (a report and its incident): g4's report.
    await waitFor(() => second.messages().length >= 1);
    expect(second.messages().map((e) => (e.data as { reportId: string }).reportId)).toEqual(['g4']);
  });

  it('announces a gap for an id from another gateway run, then streams live', async () => {
    city = await startTestCity();
    const stream = await open('/events/stream?types=test.report.*', { 'last-event-id': 'deadbeef-12' });
    await waitFor(() => stream.events.some((e) => e.event === 'polis.stream.gap'));
    await report('live');
    await waitFor(() => stream.messages().length === 1);
  });

  it('takes the token as access_token for clients that cannot send headers', async () => {
    city = await startTestCity();
    const stream = await open(`/events/stream?types=test.report.*&access_token=${DASHBOARD_TOKEN}`, {}, undefined);
    expect(stream.response.status).toBe(200);
    await report('t1');
    await waitFor(() => stream.messages().length === 1);
  });

  it.each([
    ['no token', undefined, '/events/stream', 401, 'POLIS_HTTP_UNAUTHORIZED'],
    ['a source that may consume nothing', SENSOR_TOKEN, '/events/stream', 403, 'POLIS_HTTP_FORBIDDEN'],
    ['types the source may not read', DASHBOARD_TOKEN, '/events/stream?types=safety.>', 403, 'POLIS_HTTP_FORBIDDEN'],
    ['a malformed pattern', DASHBOARD_TOKEN, '/events/stream?types=test.>.x', 400, 'POLIS_HTTP_PARAMETER_INVALID'],
    ['an empty types list', DASHBOARD_TOKEN, '/events/stream?types=', 400, 'POLIS_HTTP_PARAMETER_INVALID'],
    ['a Last-Event-ID that is no id of ours', DASHBOARD_TOKEN, '/events/stream?lastEventId=%3Cscript%3E', 400, 'POLIS_HTTP_PARAMETER_INVALID'],
  ])('refuses %s', async (_what, token, path, status, code) => {
    city = await startTestCity();
    const response = await city.fetch(path, { token });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { code: string }).code).toBe(code);
  });

  it('refuses a stream over the limit with 503, and takes one again once a stream closed', async () => {
    city = await startTestCity({ stream: { maxClients: 1 } });
    const first = await open('/events/stream?types=test.>');
    expect(first.response.status).toBe(200);
    const refused = await city.fetch('/events/stream?types=test.>', { token: DASHBOARD_TOKEN });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { code: string }).code).toBe('POLIS_HTTP_TOO_MANY_STREAMS');
    await first.close();
    let again: Response | undefined;
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline) {
      again = await city.fetch('/events/stream?types=test.>', { token: DASHBOARD_TOKEN });
      if (again.status === 200) break;
      await again.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(again!.status).toBe(200);
    readers.push(new SseReader(again!));
  });

  it('ends open streams when the gateway stops', async () => {
    city = await startTestCity();
    const stream = await open('/events/stream?types=test.>');
    await city.gateway.stop();
    await stream.ended();
    await city.kernel.stop();
    city = undefined;
  });
});
