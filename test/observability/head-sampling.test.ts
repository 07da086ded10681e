import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Kernel, MemoryTransport, createLogger } from '@polis/kernel';
import { definePlugin } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';
import { AlarmRaised, SensorRead } from '../support/test-contracts.js';
import { sensorPlugin } from '../support/test-plugins.js';
import { waitFor } from '../support/wait-for.js';

/** A sensor plugin publishing `count` readings, and an alarm plugin answering each with an alarm. */
async function city(traceSampleRatio: number, count: number) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const alarms: CloudEvent[] = [];
  const readings: CloudEvent[] = [];
  const alarm = definePlugin({
    name: 'alarm',
    version: '1.0.0',
    kernel: '^1',
    consumes: [SensorRead],
    publishes: [AlarmRaised],
    setup(ctx) {
      ctx.on(SensorRead, async (_event, scope) => void alarms.push(await scope.publish(AlarmRaised, { level: 1 })));
    },
  });
  const kernel = new Kernel({ transport: new MemoryTransport(), tracerProvider: provider, traceSampleRatio, logger: createLogger({ level: 'error' }) });
  await kernel.start([alarm, sensorPlugin(count, readings)]);
  await waitFor(() => alarms.length === count);
  await kernel.stop();
  return { spans: exporter.getFinishedSpans(), readings, alarms };
}

describe('head sampling in the kernel (traceSampleRatio)', () => {
  it('records about the given share of new traces, each whole, and marks the rest unsampled down the chain', async () => {
    const { spans, readings, alarms } = await city(0.25, 400);
    const sampled = readings.filter((event) => event.traceparent!.endsWith('-01'));
    // 400 draws at 25 %: 100 expected, 6 standard deviations is about ±52.
    expect(sampled.length).toBeGreaterThan(48);
    expect(sampled.length).toBeLessThan(152);
    for (const event of readings) expect(event.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    // What an unsampled reading causes is unsampled too, in the same trace.
    const traceOf = (event: CloudEvent) => event.traceparent!.slice(3, 35);
    const readingFlags = new Map(readings.map((event) => [traceOf(event), event.traceparent!.slice(53)]));
    for (const event of alarms) expect(event.traceparent!.slice(53)).toBe(readingFlags.get(traceOf(event)));
    // Every span belongs to a sampled trace: a send and a process span per reading, a send span per alarm.
    const sampledTraces = new Set(sampled.map(traceOf));
    expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(sampledTraces);
    expect(spans).toHaveLength(sampled.length * 3);
  });

  it('records nothing at 0 and every trace at 1', async () => {
    expect((await city(0, 20)).spans).toHaveLength(0);
    expect((await city(1, 20)).spans).toHaveLength(60);
  });

  it('refuses a ratio outside 0 to 1', () => {
    for (const ratio of [-0.1, 1.5, Number.NaN, '0.5']) {
      expect(() => new Kernel({ transport: new MemoryTransport(), traceSampleRatio: ratio as number })).toThrow(expect.objectContaining({ code: 'POLIS_ARGUMENT_INVALID' }));
    }
  });
});
