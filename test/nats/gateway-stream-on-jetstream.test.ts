import { PromMetricsService, startGateway } from '@polis/http';
import type { Gateway } from '@polis/http';
import { Kernel, createLogger } from '@polis/kernel';
import { afterAll, describe, expect, it } from 'vitest';
import { DASHBOARD_TOKEN, SENSOR_TOKEN, SOURCES, incidentDesk, reportEvent } from '../http/gateway-fixture.js';
import { removeNatsState, testTransport, uniquePrefix } from '../support/nats-env.js';
import { SseReader } from '../support/sse-reader.js';
import { waitFor } from '../support/wait-for.js';

describe('GET /events/stream on NATS', () => {
  const prefix = uniquePrefix('sse');
  afterAll(() => removeNatsState(prefix));

  it('streams from JetStream with stream sequences as ids, resumes after Last-Event-ID, and is ready while connected', async () => {
    const kernel = new Kernel({ transport: testTransport({ prefix }), logger: createLogger({ level: 'warn' }) });
    await kernel.start([incidentDesk()]);
    let gateway: Gateway | undefined;
    const readers: SseReader[] = [];
    try {
      gateway = await startGateway({ kernel, port: 0, sources: SOURCES, metrics: new PromMetricsService({ processMetrics: false }) });
      const url = gateway.url;
      const report = (id: string) =>
        fetch(`${url}/events`, { method: 'POST', headers: { authorization: `Bearer ${SENSOR_TOKEN}`, 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(reportEvent(id)) });
      const open = async (headers: Record<string, string> = {}) => {
        const reader = new SseReader(await fetch(`${url}/events/stream?types=test.incident.*`, { headers: { authorization: `Bearer ${DASHBOARD_TOKEN}`, ...headers } }));
        readers.push(reader);
        return reader;
      };
      expect(await (await fetch(`${url}/readyz`)).json()).toMatchObject({ status: 'ready', transport: { name: 'nats', connected: true } });

      const first = await open();
      // The stream's headers arrive once its consumer exists: an event sent now is seen.
      expect((await report('j1')).status).toBe(202);
      await waitFor(() => first.messages().length === 1, 5000);
      expect(first.events[0]!.id).toMatch(/^\d+$/);
      expect(first.messages()[0]).toMatchObject({ type: 'test.incident.opened', data: { incidentId: 'INC-j1' } });
      const resumeAt = first.lastId!;
      await first.close();

      await report('j2');
      await report('j3');
      const second = await open({ 'last-event-id': resumeAt });
      await waitFor(() => second.messages().length === 2, 5000);
      expect(second.messages().map((e) => (e.data as { incidentId: string }).incidentId)).toEqual(['INC-j2', 'INC-j3']);
      expect(Number(second.events[0]!.id)).toBeGreaterThan(Number(resumeAt));

      const stranger = await open({ 'last-event-id': 'deadbeef-3' });
      await waitFor(() => stranger.events.some((e) => e.event === 'polis.stream.gap'), 5000);
    } finally {
      for (const reader of readers) await reader.close();
      await gateway?.stop();
      await kernel.stop();
    }
  }, 30_000);
});
