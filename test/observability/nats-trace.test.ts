import { SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Kernel, createLogger } from '@polis/kernel';
import { Type, defineEvent, definePlugin } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { afterAll, describe, expect, it } from 'vitest';
import { removeNatsState, testTransport, uniquePrefix } from '../support/nats-env.js';
import { waitFor } from '../support/wait-for.js';

const Reading = defineEvent({ type: 'trace.reading.taken', version: 1, schema: Type.Object({ value: Type.Number() }) });
const Alarm = defineEvent({ type: 'trace.alarm.raised', version: 1, schema: Type.Object({ value: Type.Number() }) });
const CALLER = '4bf92f3577b34da6a3ce929d0e0e4736';

const sensor = definePlugin({ name: 'sensor', version: '1.0.0', kernel: '^1', publishes: [Reading], setup: () => {} });
const alarms = (raised: CloudEvent[]) =>
  definePlugin({
    name: 'alarms',
    version: '1.0.0',
    kernel: '^1',
    consumes: [Reading],
    publishes: [Alarm],
    setup(ctx) {
      ctx.on(Reading, async (event, scope) => {
        raised.push(await scope.publish(Alarm, { value: event.data.value }));
      });
    },
  });

describe('trace context across two kernels on NATS', () => {
  const prefix = uniquePrefix('trace');
  afterAll(() => removeNatsState(prefix));

  it.each([
    ['sampled', '01'],
    ['unsampled', '00'],
  ])('carries the %s caller trace, its flags and tracestate in ce- headers, and the consumer node parents its spans on the producer node span', async (_what, flags) => {
    const exporter = new InMemorySpanExporter();
    const provider = () => new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const raised: CloudEvent[] = [];
    const producer = new Kernel({ transport: testTransport({ prefix }), logger: createLogger({ level: 'warn' }), tracerProvider: provider() });
    const consumer = new Kernel({ transport: testTransport({ prefix }), logger: createLogger({ level: 'warn' }), tracerProvider: provider() });
    try {
      await producer.start([sensor]);
      await consumer.start([alarms(raised)]);
      const sent = await producer.bus.publish('sensor', Reading.type, 1, { value: 7 }, { parent: { traceparent: `00-${CALLER}-00f067aa0ba902b7-${flags}`, tracestate: 'vendor=abc' } });
      await waitFor(() => raised.length === 1, 10_000);
      const [alarm] = raised;
      expect(sent.traceparent).toMatch(new RegExp(`^00-${CALLER}-[0-9a-f]{16}-${flags}$`));
      expect(alarm!.traceparent).toMatch(new RegExp(`^00-${CALLER}-[0-9a-f]{16}-${flags}$`));
      expect([sent.tracestate, alarm!.tracestate]).toEqual(['vendor=abc', 'vendor=abc']);
      if (flags === '00') {
        expect(exporter.getFinishedSpans()).toEqual([]);
        return;
      }
      await waitFor(() => exporter.getFinishedSpans().filter((span) => span.name === `send ${Alarm.type}`).length === 1);
      const spans = exporter.getFinishedSpans();
      const send = spans.find((span) => span.name === `send ${Reading.type}`)!;
      const processed = spans.find((span) => span.name === `process ${Reading.type}`)!;
      const alarmSend = spans.find((span) => span.name === `send ${Alarm.type}`)!;
      expect(send.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
      expect(sent.traceparent!.slice(36, 52)).toBe(send.spanContext().spanId);
      expect(processed.kind).toBe(SpanKind.CONSUMER);
      expect(processed.attributes).toMatchObject({ 'messaging.system': 'nats', 'messaging.destination.name': Reading.type, 'messaging.consumer.group.name': 'alarms', 'messaging.message.id': sent.id });
      expect(processed.parentSpanContext).toMatchObject({ spanId: send.spanContext().spanId, isRemote: true });
      expect(alarmSend.parentSpanContext?.spanId).toBe(processed.spanContext().spanId);
      expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([CALLER]));
    } finally {
      await consumer.stop();
      await producer.stop();
    }
  });
});
