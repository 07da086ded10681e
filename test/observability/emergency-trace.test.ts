import { SpanKind, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { health, safety, traffic } from '@polis/contracts';
import { startGateway } from '@polis/http';
import type { Gateway } from '@polis/http';
import { Kernel, MemoryTransport, createLogger } from '@polis/kernel';
import type { CloudEvent } from '@polis/plugin-api';
import { FakeClock } from '@polis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRASH_SITE, demoCityPlugins } from '../e2e/demo-city.js';
import { waitFor } from '../support/wait-for.js';

const TOKEN = 'call-centre-token-0123456789abcdef';
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

// One SDK for the file: the kernel's tracer is the global provider's, as in an application.
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
});

interface City {
  readonly kernel: Kernel;
  readonly gateway: Gateway;
  readonly clock: FakeClock;
  readonly events: CloudEvent[];
  stop(): Promise<void>;
}

/** The demo city's emergency plugins on a fake clock, with a call centre allowed to POST reports. */
async function startCity(): Promise<City> {
  const clock = new FakeClock();
  const kernel = new Kernel({ transport: new MemoryTransport(), clock, logger: createLogger({ level: 'warn' }) });
  await kernel.start(await demoCityPlugins());
  const events: CloudEvent[] = [];
  await kernel.bus.subscribe({ owner: 'recorder', pattern: '>', handler: (event) => void events.push(event) });
  const gateway = await startGateway({ kernel, port: 0, sources: [{ name: 'call-centre', token: TOKEN, publishes: ['safety.report.received'], consumes: [], requests: [] }] });
  return {
    kernel,
    gateway,
    clock,
    events,
    stop: async () => {
      await gateway.stop();
      await kernel.stop();
    },
  };
}

const byId = (spans: readonly ReadableSpan[]) => new Map(spans.map((span) => [span.spanContext().spanId, span] as const));

/** The span's ancestors up to the first without an exported parent, nearest first. */
function ancestors(span: ReadableSpan, spans: ReadonlyMap<string, ReadableSpan>): ReadableSpan[] {
  const chain: ReadableSpan[] = [];
  for (let parent = spans.get(span.parentSpanContext?.spanId ?? ''); parent !== undefined; parent = spans.get(parent.parentSpanContext?.spanId ?? '')) chain.push(parent);
  return chain;
}

describe('traces of the emergency chain', () => {
  it('makes one trace from the HTTP ingest of a crash report to the last signal pre-empted for the ambulance, continuing the caller trace and keeping its tracestate', async () => {
    exporter.reset();
    const city = await startCity();
    try {
      const response = await fetch(`${city.gateway.url}/events`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/cloudevents+json',
          traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
          tracestate: 'callcentre=t61rcWkgMzE',
        },
        body: JSON.stringify({
          specversion: '1.0',
          id: 'call-1',
          source: 'urn:call-centre',
          type: safety.ReportReceived.type,
          data: { reportId: 'call-1', kind: 'collision', position: CRASH_SITE, reportedAt: new Date(city.clock.now()).toISOString(), casualties: 2, description: 'two cars, driver trapped', channel: 'call' },
        }),
      });
      expect(response.status).toBe(202);

      // Both legs: to the scene, and (once the fake clock drove the ambulance there) to the hospital.
      await waitFor(() => city.events.some((event) => event.type === health.AmbulanceDispatched.type));
      const dispatched = city.events.find((event) => event.type === health.AmbulanceDispatched.type)!.data as { sceneEtaS: number; hospitalEtaS: number };
      await city.clock.advance((dispatched.sceneEtaS + 600 + dispatched.hospitalEtaS + 120) * 1000);
      await waitFor(() => city.events.some((event) => event.type === health.PatientArrived.type));
      // The ambulance's two corridors and the police unit's: every signal of each is pre-empted.
      const corridors = city.events.filter((event) => event.type === traffic.CorridorPlanned.type);
      expect(corridors.length).toBeGreaterThanOrEqual(2);
      const signals = corridors.reduce((sum, corridor) => sum + (corridor.data as { signals: unknown[] }).signals.length, 0);
      await waitFor(() => city.events.filter((event) => event.type === traffic.SignalPreempted.type).length === signals);
      const sentPreemptions = () => exporter.getFinishedSpans().filter((span) => span.name === `send ${traffic.SignalPreempted.type}`);
      await waitFor(() => sentPreemptions().length === signals);

      // One trace, the caller's: every span and every event of the chain (one correlation id) is in it.
      const report = city.events.find((event) => event.type === safety.ReportReceived.type)!;
      const chain = city.events.filter((event) => event.correlationid === report.correlationid);
      expect(chain.map((event) => event.type)).toEqual(expect.arrayContaining([health.AmbulanceDispatched.type, traffic.CorridorPlanned.type, traffic.SignalPreempted.type, health.PatientArrived.type]));
      const ingest = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER && span.name === 'POST /events');
      const spans = exporter.getFinishedSpans().filter((span) => span === ingest || span.attributes['messaging.message.conversation_id'] === report.correlationid);
      expect(spans.length).toBeGreaterThan(chain.length);
      expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([CALLER_TRACE]));
      expect(new Set(chain.map((event) => event.traceparent!.slice(3, 35)))).toEqual(new Set([CALLER_TRACE]));
      expect(new Set(chain.map((event) => event.tracestate))).toEqual(new Set(['callcentre=t61rcWkgMzE']));
      expect(exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === CALLER_TRACE)).toEqual(expect.arrayContaining(spans));

      expect(ingest?.parentSpanContext?.spanId).toBe(CALLER_SPAN);
      expect(ingest?.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/events', 'http.response.status_code': 202 });

      // A tree: each span's parent is another span of the chain, up to the ingest and the caller.
      const spansById = byId(spans);
      for (const span of spans) if (span !== ingest) expect(spansById.has(span.parentSpanContext?.spanId ?? ''), `${span.name} has its parent in the trace`).toBe(true);
      const last = sentPreemptions().sort((a, b) => a.endTime[0] - b.endTime[0] || a.endTime[1] - b.endTime[1]).at(-1)!;
      const path = ancestors(last, spansById);
      expect(path.at(-1)).toBe(ingest);
      expect(path.map((span) => span.name)).toEqual(expect.arrayContaining([`process ${traffic.CorridorRequested.type}`, `send ${health.AmbulanceDispatched.type}`, `send ${safety.ReportReceived.type}`]));

      // Messaging semantic conventions: the event an event span names is the one on the bus.
      const preempted = city.events.filter((event) => event.type === traffic.SignalPreempted.type);
      expect(last.kind).toBe(SpanKind.PRODUCER);
      expect(last.attributes).toMatchObject({ 'messaging.system': 'memory', 'messaging.destination.name': traffic.SignalPreempted.type, 'messaging.operation.type': 'send', 'polis.plugin': 'traffic' });
      expect(preempted.map((event) => event.id)).toContain(last.attributes['messaging.message.id']);
      const event = preempted.find((candidate) => candidate.id === last.attributes['messaging.message.id'])!;
      expect(event.traceparent).toBe(`00-${CALLER_TRACE}-${last.spanContext().spanId}-01`);
      const processed = spans.filter((span) => span.kind === SpanKind.CONSUMER && span.attributes['messaging.message.id'] === event.id);
      expect(processed.map((span) => span.attributes['messaging.consumer.group.name'])).toContain('recorder');
      for (const span of processed) {
        expect(span.parentSpanContext?.spanId).toBe(last.spanContext().spanId);
        expect(span.attributes).toMatchObject({ 'messaging.operation.type': 'process', 'messaging.message.conversation_id': event.correlationid });
      }

      // Random span ids: no two alike, and not a counter.
      const ids = spans.map((span) => span.spanContext().spanId);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await city.stop();
    }
    // The fake clock drives the ambulance through both legs: many timers, seconds on a loaded machine.
  }, 60_000);

  it('keeps an unsampled caller unsampled: no span is recorded and every event carries flags 00 in the caller trace', async () => {
    exporter.reset();
    const city = await startCity();
    try {
      const response = await fetch(`${city.gateway.url}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/cloudevents+json', traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-00` },
        body: JSON.stringify({
          specversion: '1.0',
          id: 'call-2',
          source: 'urn:call-centre',
          type: safety.ReportReceived.type,
          data: { reportId: 'call-2', kind: 'collision', position: CRASH_SITE, reportedAt: new Date(city.clock.now()).toISOString(), casualties: 2, description: 'two cars, driver trapped', channel: 'call' },
        }),
      });
      expect(response.status).toBe(202);
      await waitFor(() => city.events.some((event) => event.type === health.AmbulanceDispatched.type) && city.events.filter((event) => event.type === traffic.CorridorPlanned.type).length >= 2);
      const report = city.events.find((event) => event.type === safety.ReportReceived.type)!;
      const chain = city.events.filter((event) => event.correlationid === report.correlationid);
      expect(exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === CALLER_TRACE)).toEqual([]);
      expect(new Set(chain.map((event) => `${event.traceparent!.slice(0, 36)}…${event.traceparent!.slice(52)}`))).toEqual(new Set([`00-${CALLER_TRACE}-…-00`]));
      const spanIds = chain.map((event) => event.traceparent!.slice(36, 52));
      expect(new Set(spanIds).size).toBe(spanIds.length);
    } finally {
      await city.stop();
    }
  });
});
