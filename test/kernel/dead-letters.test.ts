import { ErrorCodes, EventDeadLettered, Type, defineEvent, definePlugin } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import { SensorFailed, SensorRead } from '../support/test-contracts.js';
import { waitFor } from '../support/wait-for.js';

const Note = defineEvent({ type: 'test.note.written', version: 1, schema: Type.Object({ text: Type.String() }) });

/** A plugin whose handler of SensorRead does `act` and counts its calls. */
const acting = (name: string, act: (scope: { publish: (...args: never[]) => Promise<unknown> }) => Promise<unknown> | void, calls: { count: number }) =>
  definePlugin({
    name,
    version: '1.0.0',
    kernel: '^1',
    consumes: [SensorRead],
    publishes: [SensorFailed],
    setup(ctx) {
      ctx.on(SensorRead, async (_event, scope) => {
        calls.count++;
        await act(scope as never);
      });
    },
  });

describe('dead letters', () => {
  it('dead-letters at once what no retry can fix: an undeclared publish, invalid data', async () => {
    const undeclared = { count: 0 };
    const invalid = { count: 0 };
    const kit = await startTestKernel({
      plugins: [
        acting('undeclared-publisher', (scope) => scope.publish(Note as never, { text: 'x' } as never), undeclared),
        acting('invalid-publisher', (scope) => scope.publish(SensorFailed as never, { sensor: 7 } as never), invalid),
      ],
      retry: { maxAttempts: 4, initialDelayMs: 5, backoffFactor: 1 },
    });
    await kit.publish(SensorRead, { sensor: 's', value: 1 });
    await waitFor(() => kit.deadLetters.length === 2);
    const byPlugin = Object.fromEntries(kit.deadLetters.map((letter) => [letter.data.plugin, letter.data]));
    expect(byPlugin['undeclared-publisher']).toMatchObject({ attempts: 1, code: ErrorCodes.PUBLISH_NOT_DECLARED });
    expect(byPlugin['invalid-publisher']).toMatchObject({ attempts: 1, code: ErrorCodes.EVENT_INVALID });
    expect([undeclared.count, invalid.count]).toEqual([1, 1]);
    await kit.stop();
  });

  it('makes no dead letter of a dead letter when a watcher of the channel fails on it', async () => {
    let watched = 0;
    const watcher = definePlugin({
      name: 'letter-watcher',
      version: '1.0.0',
      kernel: '^1',
      consumes: [EventDeadLettered],
      setup(ctx) {
        ctx.on(EventDeadLettered, () => {
          watched++;
          throw new Error('the watcher is broken too');
        });
      },
    });
    const kit = await startTestKernel({ plugins: [acting('failing', () => Promise.reject(new Error('no')), { count: 0 }), watcher] });
    await kit.publish(SensorRead, { sensor: 's', value: 1 });
    await kit.expectEvent(EventDeadLettered, { within: 2_000 });
    // The watcher's attempts on the first letter run out and are logged; nothing is published of them.
    await waitFor(() => kit.logs.some((record) => record.message === 'dead-lettered kernel.event.deadlettered for letter-watcher'));
    await kit.expectNoEvent(EventDeadLettered, { within: 100, where: (event) => event.data.plugin === 'letter-watcher' });
    expect(kit.deadLetters).toHaveLength(1);
    expect(watched).toBe(3);
    expect(kit.kernel.bus.deadLettersOfDeadLetters).toBe(1);
    await kit.stop();
  });

  it('publishes a summary of an event too large to travel inside its dead letter, instead of losing the letter', async () => {
    const kit = await startTestKernel({ plugins: [acting('failing', () => Promise.reject(new Error('no')), { count: 0 })], maxEventBytes: 2_000 });
    const big = await kit.publish(SensorRead, { sensor: 'x'.repeat(1_900), value: 1 });
    const letter = await kit.expectEvent(EventDeadLettered, { within: 2_000 });
    expect(letter.data).toMatchObject({
      plugin: 'failing',
      reason: 'no',
      event: { summarized: true, type: SensorRead.type, source: 'testkit', id: big.id, reason: expect.stringContaining('2000-byte limit') },
    });
    const summary = letter.data.event as { size: number; excerpt: string };
    expect(summary.size).toBeGreaterThan(1_900);
    expect(summary.excerpt.length).toBeLessThanOrEqual(1_024);
    await kit.stop();
  });

  it('publishes a summary of an event nested too deep to copy or serialize', async () => {
    const Deep = defineEvent({ type: 'test.deep.thing', version: 1, schema: Type.Object({ tree: Type.Unknown() }) });
    const consumer = definePlugin({
      name: 'deep-consumer',
      version: '1.0.0',
      kernel: '^1',
      consumes: [Deep],
      setup(ctx) {
        ctx.on(Deep, () => {
          throw new Error('cannot read it');
        });
      },
    });
    const kit = await startTestKernel({ plugins: [consumer] });
    let tree: unknown = 0;
    for (let i = 0; i < 20_000; i++) tree = [tree];
    // Bypasses the test kit's own freezing of published data: the event arrives as a foreign one would.
    await kit.kernel.registry.register(Deep.type, Deep.version, Deep.schema);
    const bus = kit.kernel.bus as unknown as { immutableEvents: boolean };
    bus.immutableEvents = false;
    await kit.kernel.bus.publish('testkit', Deep.type, Deep.version, { tree });
    bus.immutableEvents = true;
    const letter = await kit.expectEvent(EventDeadLettered, { within: 2_000 });
    expect(letter.data).toMatchObject({ plugin: 'deep-consumer', event: { summarized: true, type: Deep.type, excerpt: expect.stringContaining('does not serialize') } });
    await kit.stop();
  });

  it('records failure reasons that are not Errors readably', async () => {
    const reasons: unknown[] = ['the valve is stuck', undefined, { code: 42, detail: 'pump' }, null, new Error('')];
    const plugins = reasons.map((reason, index) =>
      definePlugin({
        name: `thrower-${index}`,
        version: '1.0.0',
        kernel: '^1',
        consumes: [SensorRead],
        setup(ctx) {
          ctx.on(SensorRead, () => Promise.reject(reason));
        },
      }),
    );
    const kit = await startTestKernel({ plugins, retry: { maxAttempts: 1 } });
    await kit.publish(SensorRead, { sensor: 's', value: 1 });
    await waitFor(() => kit.deadLetters.length === reasons.length);
    const byPlugin = Object.fromEntries(kit.deadLetters.map((letter) => [letter.data.plugin, letter.data.reason]));
    expect(byPlugin).toEqual({
      'thrower-0': 'the valve is stuck',
      'thrower-1': 'no reason given (undefined was thrown)',
      'thrower-2': '{"code":42,"detail":"pump"}',
      'thrower-3': 'no reason given (null was thrown)',
      'thrower-4': 'Error (without a message)',
    });
    await kit.stop();
  });
});
