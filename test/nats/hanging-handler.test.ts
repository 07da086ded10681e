import { definePlugin } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { removeNatsState, testTransport, uniquePrefix } from '../support/nats-env.js';
import { SensorRead } from '../support/test-contracts.js';

/** One plugin, two replicas: the same name is the same consumer group on JetStream. */
const replica = (handle: (event: CloudEvent, signal: AbortSignal) => void | Promise<void>) =>
  definePlugin({
    name: 'shared-worker',
    version: '1.0.0',
    kernel: '^1',
    consumes: [SensorRead],
    setup(ctx) {
      ctx.on(SensorRead, (event, scope) => handle(event, scope.signal), { timeoutMs: 300, retry: { maxAttempts: 50, initialDelayMs: 10, backoffFactor: 1 } });
    },
  });

describe('a hanging handler on JetStream', () => {
  const prefix = uniquePrefix('hanging');
  const kits: TestKernel[] = [];

  afterEach(async () => {
    await Promise.all(kits.splice(0).map((kit) => kit.stop()));
  });
  afterAll(async () => {
    await removeNatsState(prefix);
  });

  it('does not hold its consumer group: after the timeout its messages go to the healthy replica', async () => {
    const aborted: AbortSignal[] = [];
    const stuck = replica((_event, signal) => {
      aborted.push(signal);
      // Ignores its signal, as a badly written handler would: the kernel must not depend on it.
      return new Promise<never>(() => {});
    });
    const healthy: number[] = [];
    const well = replica((event) => void healthy.push((event.data as { value: number }).value));
    const transport = () => testTransport({ prefix, jetstream: { ackWaitMs: 2_000 } });
    const stuckKit = await startTestKernel({ plugins: [stuck], transport: transport() });
    kits.push(stuckKit);
    const wellKit = await startTestKernel({ plugins: [well], transport: transport() });
    kits.push(wellKit);
    const publisher = await startTestKernel({ plugins: [], transport: transport() });
    kits.push(publisher);

    const count = 20;
    for (let value = 0; value < count; value++) await publisher.publish(SensorRead, { sensor: 'h', value });
    // Without the timeout, what the stuck replica took would be kept alive by in-progress acks forever.
    await expect.poll(() => new Set(healthy).size, { timeout: 20_000, interval: 50 }).toBe(count);
    expect(aborted.length).toBeGreaterThan(0);
    await expect.poll(() => aborted.every((signal) => signal.aborted), { timeout: 2_000 }).toBe(true);
    expect(stuckKit.deadLetters).toEqual([]);
  });
});
