import { SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Kernel, MemoryTransport, createLogger } from '@polis/kernel';
import { ErrorCodes, definePlugin } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';
import { SensorRead } from '../support/test-contracts.js';
import { sensorPlugin } from '../support/test-plugins.js';
import { waitFor } from '../support/wait-for.js';

const forever = new Promise<never>(() => {});

describe('the span of a handler call given up at its timeout', () => {
  it('ends when the call is given up, with the timeout error, though the handler never returns', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const stuck = definePlugin({
      name: 'stuck',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SensorRead],
      setup(ctx) {
        ctx.on(SensorRead, () => forever, { timeoutMs: 50, retry: { maxAttempts: 1 } });
      },
    });
    const kernel = new Kernel({ transport: new MemoryTransport(), tracerProvider: provider, logger: createLogger({ level: 'silent' }) });
    await kernel.start([stuck, sensorPlugin()]);
    try {
      const processSpan = () => exporter.getFinishedSpans().find((span) => span.name === `process ${SensorRead.type}`);
      await waitFor(() => processSpan() !== undefined, 3000);
      expect(processSpan()!.status).toMatchObject({ code: SpanStatusCode.ERROR });
      expect(processSpan()!.attributes['error.type']).toBe(ErrorCodes.HANDLER_TIMEOUT);
    } finally {
      await kernel.stop();
    }
  });
});
