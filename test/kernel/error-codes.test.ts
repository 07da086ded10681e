import { MemoryTransport } from '@polis/kernel';
import type { LogRecord } from '@polis/kernel';
import type { TransportHandle, TransportSubscription } from '@polis/kernel/transport';
import { ErrorCodes, EventDeadLettered, definePlugin, isPolisError } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import { anotherCopyOfErrors } from '../support/another-copy.js';
import { throwingPlugin } from '../support/test-plugins.js';
import { SensorFailed, SensorRead } from '../support/test-contracts.js';
import { waitFor } from '../support/wait-for.js';

const errorLines = (logs: readonly LogRecord[], message: string | RegExp) =>
  logs.filter((record) => record.level === 'error' && (typeof message === 'string' ? record.message === message : message.test(record.message)));

describe('error codes say what happened', () => {
  it('refuses a malformed pattern and a handler that is not a function as invalid arguments, not as undeclared or bad manifests', async () => {
    const kit = await startTestKernel({ plugins: [] });
    await expect(kit.kernel.bus.subscribe({ owner: 'ops', pattern: 'traffic..>', handler: () => {} })).rejects.toMatchObject({
      code: ErrorCodes.ARGUMENT_INVALID,
      message: expect.stringContaining("token '' in 'traffic..>'"),
    });
    await expect(kit.kernel.bus.subscribe({ owner: 'ops', pattern: 'traffic.>', handler: 'not a function' as never })).rejects.toMatchObject({ code: ErrorCodes.ARGUMENT_INVALID });
    await expect(kit.kernel.bus.subscribe({ owner: 'ops', pattern: 'traffic.>', handler: () => {}, retry: { maxAttempts: 0 } })).rejects.toMatchObject({
      code: ErrorCodes.ARGUMENT_INVALID,
      message: 'retry.maxAttempts must be an integer >= 1, got 0',
    });
    let onError: unknown;
    const careless = definePlugin({
      name: 'careless',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SensorRead],
      setup(ctx) {
        try {
          ctx.on(SensorRead, undefined as never);
        } catch (error) {
          onError = error;
        }
      },
    });
    await kit.kernel.load(careless);
    expect(onError).toMatchObject({ code: ErrorCodes.ARGUMENT_INVALID, plugin: 'careless', message: "the handler of ctx.on('test.sensor.read') must be a function, got undefined" });
    await kit.stop();
  });

  it('refuses publish options that would make a malformed envelope, instead of publishing it', async () => {
    const errors: unknown[] = [];
    const timer = definePlugin({
      name: 'timer-publisher',
      version: '1.0.0',
      kernel: '^1',
      publishes: [SensorFailed],
      setup(ctx) {
        ctx.onStart(async () => {
          const attempts = [
            { causedBy: { id: 'e1', correlationid: 7 } },
            { causedBy: { id: 'e1', correlationid: 'c1', traceparent: null } },
            { subject: 42 },
            { priority: 'urgent' },
          ];
          for (const options of attempts) errors.push(await ctx.publish(SensorFailed, { sensor: 's' }, options as never).catch((error: unknown) => error));
        });
      },
    });
    const kit = await startTestKernel({ plugins: [timer] });
    expect(errors.map((error) => (error as { code?: string }).code)).toEqual(Array(4).fill(ErrorCodes.ARGUMENT_INVALID));
    expect(errors[0]).toMatchObject({ plugin: 'timer-publisher', message: expect.stringContaining('options.causedBy must be a CloudEvent') });
    expect(kit.eventsOf(SensorFailed)).toEqual([]);
    await kit.stop();
  });

  it('reports a stop that fails as PLUGIN_STOP_FAILED, and still closes every other subscription', async () => {
    // A transport whose first subscription cannot be closed: its close throws at once.
    const closed: string[] = [];
    class BrittleTransport extends MemoryTransport {
      override async subscribe(subscription: TransportSubscription): Promise<TransportHandle> {
        const handle = await super.subscribe(subscription);
        if (subscription.owner !== 'two-subscriptions') return handle;
        const first = !closed.includes('made-first');
        closed.push(first ? 'made-first' : 'made-second');
        return {
          close: () => {
            if (first) throw new Error('the socket is already gone');
            closed.push('second');
            return handle.close();
          },
        };
      }
    }
    const plugin = definePlugin({
      name: 'two-subscriptions',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SensorRead, SensorFailed],
      setup(ctx) {
        ctx.on(SensorRead, () => {});
        ctx.on(SensorFailed, () => {});
      },
    });
    const kit = await startTestKernel({ plugins: [plugin], transport: new BrittleTransport() });
    await kit.kernel.unload('two-subscriptions');
    expect(closed).toContain('second');
    const [line] = errorLines(kit.logs, 'closing a subscription failed');
    expect(line?.fields).toMatchObject({ plugin: 'two-subscriptions', code: ErrorCodes.PLUGIN_STOP_FAILED, error: 'the socket is already gone', stack: expect.stringContaining('Error: the socket is already gone') });
    expect(kit.logs.some((record) => record.fields.code === ErrorCodes.PLUGIN_SETUP_FAILED)).toBe(false);
    await kit.stop();
  });

  it('recognizes a PolisError from another copy of the plugin API: invalid data from a bundled copy is dead-lettered at once, with its code', async () => {
    const copy = await anotherCopyOfErrors();
    const calls = { count: 0 };
    const bundled = throwingPlugin('bundled', () => new copy.PolisError(ErrorCodes.EVENT_INVALID, 'the reading is out of range for this sensor'), calls);
    const kit = await startTestKernel({ plugins: [bundled], retry: { maxAttempts: 3, initialDelayMs: 5 } });
    await kit.publish(SensorRead, { sensor: 's', value: 1 });
    const letter = await kit.expectEvent(EventDeadLettered, { within: 2000 });
    expect(letter.data).toMatchObject({ plugin: 'bundled', attempts: 1, code: ErrorCodes.EVENT_INVALID });
    expect(calls.count).toBe(1);
    expect(isPolisError(new copy.PolisError(ErrorCodes.NO_RESPONDER, 'x'), ErrorCodes.NO_RESPONDER)).toBe(true);
    await kit.stop();
  });

  it('writes dead-letter and failure log lines with the code, the event id, the correlation id and the stack', async () => {
    const failing = throwingPlugin('failing', () => new Error('the sensor table is missing'));
    const timer = definePlugin({
      name: 'timer',
      version: '1.0.0',
      kernel: '^1',
      setup: (ctx) => ctx.onStart(() => void ctx.clock.setTimeout(() => Promise.reject(new Error('the timer broke')), 10)),
    });
    const kit = await startTestKernel({ plugins: [failing, timer] });
    const sent = await kit.publish(SensorRead, { sensor: 's', value: 1 });
    await kit.expectEvent(EventDeadLettered, { within: 2000 });
    const [letterLine] = errorLines(kit.logs, /^dead-lettered test\.sensor\.read for failing$/);
    expect(letterLine?.fields).toMatchObject({
      plugin: 'failing',
      code: ErrorCodes.HANDLER_FAILED,
      eventId: sent.id,
      correlationId: sent.correlationid,
      eventType: 'test.sensor.read',
      error: 'the sensor table is missing',
      stack: expect.stringContaining('Error: the sensor table is missing'),
    });
    await kit.clock.advance(10);
    await waitFor(() => errorLines(kit.logs, 'a timer callback failed').length === 1);
    expect(errorLines(kit.logs, 'a timer callback failed')[0]?.fields).toMatchObject({ plugin: 'timer', error: 'the timer broke', stack: expect.stringContaining('the timer broke') });
    await kit.stop();
  });
});
