import { ErrorCodes, definePlugin } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import { SensorFailed, SensorRead } from '../support/test-contracts.js';
import { waitFor } from '../support/wait-for.js';

const forever = new Promise<never>(() => {});

describe('handler timeouts', () => {
  it('aborts a handler past its timeout, counts it as a failed attempt, and keeps the subscription moving', async () => {
    const signals: AbortSignal[] = [];
    const handled: number[] = [];
    const plugin = definePlugin({
      name: 'stuck',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SensorRead],
      setup(ctx) {
        ctx.on(
          SensorRead,
          async (event, scope) => {
            if (event.data.value === 0) {
              signals.push(scope.signal);
              await forever;
            }
            handled.push(event.data.value);
          },
          { timeoutMs: 50, retry: { maxAttempts: 2, initialDelayMs: 1 } },
        );
      },
    });
    const kit = await startTestKernel({ plugins: [plugin] });
    await kit.publish(SensorRead, { sensor: 's', value: 0 });
    await kit.publish(SensorRead, { sensor: 's', value: 1 });
    const letter = await kit.expectEvent('kernel.event.deadlettered', { within: 5_000 });
    expect(letter.data).toMatchObject({ plugin: 'stuck', attempts: 2, code: ErrorCodes.HANDLER_TIMEOUT });
    // Concurrency 1, yet the event behind the hanging one was handled.
    await waitFor(() => handled.includes(1));
    expect(signals).toHaveLength(2);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    expect(signals[0]!.reason).toMatchObject({ code: ErrorCodes.HANDLER_TIMEOUT });
    await kit.stop();
  });

  it('discards what a timed-out handler publishes, held or late', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const late: unknown[] = [];
    const plugin = definePlugin({
      name: 'late',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SensorRead],
      publishes: [SensorFailed],
      setup(ctx) {
        ctx.on(
          SensorRead,
          async (_event, scope) => {
            await scope.publish(SensorFailed, { sensor: 'held' });
            await released;
            late.push(await scope.publish(SensorFailed, { sensor: 'late' }).catch((error: unknown) => error));
          },
          { timeoutMs: 30, retry: { maxAttempts: 1 } },
        );
      },
    });
    const kit = await startTestKernel({ plugins: [plugin] });
    await kit.publish(SensorRead, { sensor: 's', value: 1 });
    await kit.expectEvent('kernel.event.deadlettered', { within: 5_000 });
    release();
    await waitFor(() => late.length === 1);
    expect(late[0]).toMatchObject({ code: ErrorCodes.HANDLER_TIMEOUT });
    await kit.expectNoEvent(SensorFailed, { within: 50 });
    await kit.stop();
  });

  it('hands setup, onStart and onStop hooks a signal, aborted when their phase times out', async () => {
    const seen: Record<string, AbortSignal> = {};
    const plugin = definePlugin({
      name: 'slow-start',
      version: '1.0.0',
      kernel: '^1',
      setup(ctx, signal) {
        seen.setup = signal;
        ctx.onStart(async (startSignal) => {
          seen.start = startSignal;
          await forever;
        });
        ctx.onStop((stopSignal) => {
          seen.stop = stopSignal;
        });
      },
    });
    const kit = await startTestKernel({ plugins: [plugin], timeouts: { startMs: 50 }, allowFailures: true });
    expect(kit.report.failed[0]).toMatchObject({ code: ErrorCodes.PLUGIN_TIMEOUT });
    expect(seen.setup?.aborted).toBe(false);
    expect(seen.start?.aborted).toBe(true);
    expect(seen.start?.reason).toMatchObject({ code: ErrorCodes.PLUGIN_TIMEOUT });
    await kit.stop();
  });

  it('takes the default handler timeout from the kernel options and refuses a nonsensical one', async () => {
    const { Kernel } = await import('@polis/kernel');
    expect(() => new Kernel({ handlerTimeoutMs: 0 })).toThrow(expect.objectContaining({ code: ErrorCodes.ARGUMENT_INVALID }));
    const kernel = new Kernel({ handlerTimeoutMs: 40, retry: { maxAttempts: 1 } });
    await kernel.start([]);
    const codes: unknown[] = [];
    await kernel.bus.subscribe({ owner: 'watcher', pattern: 'kernel.event.deadlettered', handler: (event) => void codes.push((event.data as { code: string }).code) });
    await kernel.bus.subscribe({ owner: 'hanger', pattern: 'test.>', handler: () => forever });
    await kernel.registry.register(SensorRead.type, SensorRead.version, SensorRead.schema);
    await kernel.bus.publish('tester', SensorRead.type, SensorRead.version, { sensor: 's', value: 1 });
    await waitFor(() => codes.length === 1);
    expect(codes).toEqual([ErrorCodes.HANDLER_TIMEOUT]);
    await kernel.stop();
  });
});
