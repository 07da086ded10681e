import { Kernel, MemoryTransport, PromMetricsService, createLogger } from '@polis/kernel';
import { startGateway } from '@polis/http';
import type { Gateway } from '@polis/http';
import { ErrorCodes, EventDeadLettered, definePlugin } from '@polis/plugin-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADMIN_TOKEN, IncidentOpened, ReportReceived, SENSOR_TOKEN, SOURCES, incidentDesk, reportEvent } from './gateway-fixture.js';

/** One sample of the Prometheus text format: its name, labels and value. */
interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** Parses the text exposition format (no escapes in our label values). */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample of `name` with exactly `labels`, or undefined. */
function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string>): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  return samples.find((sample) => sample.name === name && JSON.stringify(Object.entries(sample.labels).sort()) === wanted)?.value;
}

/** Fails an incident with many casualties every time: retried once, then dead-lettered. */
const triage = definePlugin({
  name: 'triage',
  version: '1.0.0',
  kernel: '^1',
  consumes: [IncidentOpened],
  setup(ctx) {
    ctx.on(IncidentOpened, (event) => {
      if (event.data.casualties >= 5) throw new Error('no ward has room');
    });
  },
});

let kernel: Kernel | undefined;
let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.stop();
  await kernel?.stop();
  gateway = kernel = undefined;
});

async function startCity(plugins: Parameters<Kernel['start']>[0]): Promise<{ scrape(): Promise<Sample[]>; fetch: typeof fetch }> {
  kernel = new Kernel({ transport: new MemoryTransport(), logger: createLogger({ level: 'silent' }), retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1 } });
  await kernel.start(plugins);
  // The gateway's own registry (HTTP and process metrics), as `polis start` makes it.
  gateway = await startGateway({ kernel, sources: SOURCES, adminToken: ADMIN_TOKEN, metrics: new PromMetricsService(), port: 0 });
  const url = gateway.url;
  return {
    scrape: async () => parseExposition(await (await fetch(`${url}/metrics`)).text()),
    fetch: (path, init) => fetch(`${url}${String(path)}`, init),
  };
}

describe('the bus metrics on /metrics', () => {
  it('counts published, handled, retried and dead-lettered events per type and plugin, and /admin/plugins reads them', async () => {
    const city = await startCity([incidentDesk(), triage]);
    for (const [id, casualties] of [['r1', 1], ['r2', 2], ['r3', 7]] as const) {
      const response = await city.fetch('/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${SENSOR_TOKEN}`, 'content-type': 'application/cloudevents+json' },
        body: JSON.stringify(reportEvent(id, { reportId: id, casualties })),
      });
      expect(response.status).toBe(202);
    }
    const deadLettered = { type: IncidentOpened.type, plugin: 'triage', code: ErrorCodes.HANDLER_FAILED };
    await vi.waitFor(async () => expect(valueOf(await city.scrape(), 'polis_events_dead_lettered_total', deadLettered)).toBe(1), { timeout: 10_000, interval: 20 });
    const samples = await city.scrape();

    expect(valueOf(samples, 'polis_events_published_total', { type: ReportReceived.type, plugin: 'field-sensors' })).toBe(3);
    expect(valueOf(samples, 'polis_events_published_total', { type: IncidentOpened.type, plugin: 'incident-desk' })).toBe(3);
    expect(valueOf(samples, 'polis_events_published_total', { type: EventDeadLettered.type, plugin: 'kernel' })).toBe(1);
    expect(valueOf(samples, 'polis_events_handled_total', { type: ReportReceived.type, plugin: 'incident-desk' })).toBe(3);
    expect(valueOf(samples, 'polis_events_handled_total', { type: IncidentOpened.type, plugin: 'triage' })).toBe(2);
    expect(valueOf(samples, 'polis_events_retried_total', { type: IncidentOpened.type, plugin: 'triage' })).toBe(1);
    // Two successes and both failed attempts were timed.
    expect(valueOf(samples, 'polis_handler_duration_seconds_count', { type: IncidentOpened.type, plugin: 'triage' })).toBe(4);
    expect(valueOf(samples, 'polis_handler_duration_seconds_bucket', { type: IncidentOpened.type, plugin: 'triage', le: '+Inf' })).toBe(4);
    expect(valueOf(samples, 'polis_queue_depth', { plugin: 'triage' })).toBe(0);
    expect(valueOf(samples, 'polis_transport_reconnects_total', {})).toBe(0);
    // The gateway's own registry is served alongside the kernel's.
    expect(samples.some((sample) => sample.name === 'polis_http_requests_total' && sample.labels.route === '/events')).toBe(true);
    expect(samples.some((sample) => sample.name === 'process_resident_memory_bytes')).toBe(true);

    const list = (await (await city.fetch('/admin/plugins', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { plugins: Array<{ name: string; counts: unknown }> };
    expect(Object.fromEntries(list.plugins.map((plugin) => [plugin.name, plugin.counts]))).toEqual({
      'incident-desk': { published: 3, handled: 3, deadLettered: 0 },
      triage: { published: 0, handled: 2, deadLettered: 1 },
    });
  });

  it('shows the events waiting in the dispatcher as the queue depth of their plugin', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = definePlugin({
      name: 'slow-desk',
      version: '1.0.0',
      kernel: '^1',
      consumes: [ReportReceived],
      setup(ctx) {
        ctx.on(ReportReceived, () => gate, { concurrency: 1 });
      },
    });
    const city = await startCity([slow]);
    const reports = [1, 2, 3].map((n) => reportEvent(`q${n}`));
    const response = await city.fetch('/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${SENSOR_TOKEN}`, 'content-type': 'application/cloudevents-batch+json' },
      body: JSON.stringify(reports),
    });
    expect(response.status).toBe(202);
    // One in flight, two waiting behind it.
    await vi.waitFor(async () => expect(valueOf(await city.scrape(), 'polis_queue_depth', { plugin: 'slow-desk' })).toBe(2), { timeout: 10_000, interval: 20 });
    release();
    await vi.waitFor(async () => expect(valueOf(await city.scrape(), 'polis_events_handled_total', { type: ReportReceived.type, plugin: 'slow-desk' })).toBe(3), { timeout: 10_000, interval: 20 });
    expect(valueOf(await city.scrape(), 'polis_queue_depth', { plugin: 'slow-desk' })).toBe(0);
  });

  it('keeps the counters of two kernels in one process apart', async () => {
    const one = new Kernel({ transport: new MemoryTransport(), logger: createLogger({ level: 'silent' }) });
    const two = new Kernel({ transport: new MemoryTransport(), logger: createLogger({ level: 'silent' }) });
    await one.start([incidentDesk()]);
    await two.start([incidentDesk()]);
    try {
      await one.bus.publish('field-sensors', ReportReceived.type, 1, { reportId: 'a', casualties: 0 });
      const counts = (kernel: Kernel) => (kernel.metrics as PromMetricsService).totalsBy('polis_events_published_total', 'plugin').get('field-sensors');
      expect(counts(one)).toBe(1);
      expect(counts(two)).toBeUndefined();
    } finally {
      await one.stop();
      await two.stop();
    }
  });
});
