import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SubjectScheme, durableName } from '@polis/bus-nats';
import { connect, headers, jetstreamManager } from '@polis/bus-nats/nats';
import { definePlugin } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { NATS_URL, removeNatsState, testTransport, uniquePrefix } from '../support/nats-env.js';
import { SensorRead } from '../support/test-contracts.js';

/** Each test has a worker of its own name: a worker is one consumer group, whichever kit runs it. */
const worker = (name: string, handled: CloudEvent[], options: { fail?: (event: CloudEvent) => boolean } = {}) =>
  definePlugin({
    name,
    version: '1.0.0',
    kernel: '^1',
    consumes: [SensorRead],
    setup(ctx) {
      ctx.on(SensorRead, (event) => {
        if (options.fail?.(event)) throw new Error('not now');
        handled.push(event);
      });
    },
  });

describe('durable subscriptions on JetStream', () => {
  const prefix = uniquePrefix('durable');
  const kits: TestKernel[] = [];
  const boot = async (plugins: Parameters<typeof startTestKernel>[0]['plugins'], ackWaitMs?: number) => {
    const kit = await startTestKernel({ plugins, transport: testTransport({ prefix, jetstream: ackWaitMs === undefined ? {} : { ackWaitMs } }) });
    kits.push(kit);
    return kit;
  };
  const values = (events: CloudEvent[]) => events.map((event) => (event.data as { value: number }).value);
  /** What the event stream holds now: messages and consumers. */
  const streamState = async () => {
    const raw = await connect({ servers: NATS_URL });
    try {
      return (await (await jetstreamManager(raw)).streams.info(new SubjectScheme(prefix).defaultStream)).state;
    } finally {
      await raw.close();
    }
  };

  const consumerInfo = async (name: string) => {
    const raw = await connect({ servers: NATS_URL });
    try {
      return await (await jetstreamManager(raw)).consumers.info(new SubjectScheme(prefix).defaultStream, name);
    } finally {
      await raw.close();
    }
  };

  /**
   * Waits until a worker's consumer has nothing left to deliver or redeliver (every message it
   * holds delivered and acked): what the handler saw then is all it will ever see.
   */
  const drained = (plugin: string, deliveries?: number) =>
    vi.waitFor(async () => {
      const info = await consumerInfo(durableName(plugin, SensorRead.type));
      expect(info).toMatchObject({ num_pending: 0, num_ack_pending: 0 });
      if (deliveries !== undefined) expect(info.delivered.consumer_seq).toBeGreaterThanOrEqual(deliveries);
    }, { timeout: 5000 });

  afterEach(async () => {
    await Promise.all(kits.splice(0).map((kit) => kit.stop()));
  });

  afterAll(async () => {
    await removeNatsState(prefix);
  });

  it('resumes a restarted plugin from its last ack: what was published while it was down is delivered, nothing twice', async () => {
    const publisher = await boot([]);
    const before: CloudEvent[] = [];
    const first = await boot([worker('resuming-worker', before)]);
    for (let value = 0; value < 5; value++) await publisher.publish(SensorRead, { sensor: 'r', value });
    await expect.poll(() => before.length, { timeout: 5000 }).toBe(5);
    await first.stop();

    for (let value = 5; value < 10; value++) await publisher.publish(SensorRead, { sensor: 'r', value });
    const after: CloudEvent[] = [];
    await boot([worker('resuming-worker', after)]);
    await expect.poll(() => values(after), { timeout: 5000 }).toEqual([5, 6, 7, 8, 9]);
    await drained('resuming-worker');
    expect(values(after)).toEqual([5, 6, 7, 8, 9]);
  });

  it('gives an event again to a plugin whose process was killed while handling it', async () => {
    const kit = await boot([]);
    const child = spawn(
      process.execPath,
      ['--conditions=@polis/source', '--import', 'tsx', fileURLToPath(new URL('./fixtures/hanging-worker.ts', import.meta.url)), NATS_URL, prefix, 'crashing-worker', '1000'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const nextLine = async () => JSON.parse(((await lines.next()).value as string | undefined) ?? 'null') as Record<string, unknown> | null;
    try {
      expect(await nextLine()).toEqual({ ready: true });
      const sent = await kit.publish(SensorRead, { sensor: 'crash', value: 1 });
      expect(await nextLine()).toEqual({ handling: sent.id });
      process.kill(child.pid!, 'SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));

      const handled: CloudEvent[] = [];
      await boot([worker('crashing-worker', handled)], 1000);
      await expect.poll(() => handled.map((event) => event.id), { timeout: 10_000 }).toEqual([sent.id]);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('stores an event once however often this kernel publishes it: Nats-Msg-Id is its source and id', async () => {
    const handled: CloudEvent[] = [];
    const kit = await boot([worker('deduplicating-worker', handled)]);
    const before = (await streamState()).messages;
    const sent = await kit.publish(SensorRead, { sensor: 'dup', value: 100 });
    await kit.kernel.bus.transport.publish(sent);
    await kit.kernel.bus.transport.publish(sent);
    expect((await streamState()).messages).toBe(before + 1);
    await expect.poll(() => handled.length, { timeout: 5000 }).toBe(1);
    await drained('deduplicating-worker');
    expect(handled.map((event) => event.id)).toEqual([sent.id]);
  });

  it('never hands a handler an event id it already handled, even when the stream holds it twice', async () => {
    const handled: CloudEvent[] = [];
    await boot([worker('remembering-worker', handled)]);
    const raw = await connect({ servers: NATS_URL });
    try {
      // The same CloudEvent stored twice (a sender that changed the message id on retry).
      for (const messageId of ['first-try', 'second-try']) {
        const h = headers();
        h.set('ce-specversion', '1.0');
        h.set('ce-id', 'same-event-id');
        h.set('ce-source', 'urn:city:retrying-gateway');
        h.set('ce-type', 'test.sensor.read');
        h.set('ce-time', '2026-01-01T08:00:00Z');
        h.set('ce-dataschema', 'urn:polis:schema:test.sensor.read:1');
        h.set('Nats-Msg-Id', messageId);
        raw.publish(new SubjectScheme(prefix).published('urn:city:retrying-gateway', 'test.sensor.read'), JSON.stringify({ sensor: 'x', value: 1 }), { headers: h });
      }
      await raw.flush();
    } finally {
      await raw.close();
    }
    // Both stored copies delivered and acked: the second was recognised, not lost in flight.
    await drained('remembering-worker', 2);
    expect(handled.map((event) => event.id)).toEqual(['same-event-id']);
  });

  it('retries through JetStream with backoff, counting deliveries as attempts, and never redelivers a dead letter', async () => {
    const attempts: number[] = [];
    const handled: CloudEvent[] = [];
    const kit = await boot([worker('failing-worker', handled, { fail: () => (attempts.push(Date.now()), true) })]);
    const sent = await kit.publish(SensorRead, { sensor: 'never', value: 1 });
    const letter = await kit.expectEvent('kernel.event.deadlettered', { within: 5000 });
    expect(letter.data).toMatchObject({ plugin: 'failing-worker', attempts: 3, reason: 'not now', event: { id: sent.id } });
    // What JetStream will do next, read from the consumer rather than waited for: it delivered the
    // event three times (the attempts), and nothing is pending an ack or waiting to be delivered, so
    // nothing is ever redelivered (a sleep shorter than the ack wait could not tell).
    await vi.waitFor(async () => {
      const info = await consumerInfo(durableName('failing-worker', SensorRead.type));
      expect(info).toMatchObject({ delivered: { consumer_seq: 3 }, num_ack_pending: 0, num_redelivered: 0, num_pending: 0 });
      expect(info.ack_floor.stream_seq).toBe(info.delivered.stream_seq);
    }, { timeout: 5000 });
    expect(attempts).toHaveLength(3);
    expect(handled).toEqual([]);
  });

  it('gives a subscription that does not ask for durability a core NATS subscription: no consumer is kept for it', async () => {
    const kit = await boot([]);
    const seen: CloudEvent[] = [];
    const before = (await streamState()).consumer_count;
    const handle = await kit.kernel.bus.subscribe({ owner: 'ops-console', pattern: 'test.sensor.*', durable: false, handler: (event) => void seen.push(event) });
    expect((await streamState()).consumer_count).toBe(before);
    const sent = await kit.publish(SensorRead, { sensor: 'live', value: 1 });
    await expect.poll(() => seen.map((event) => event.id), { timeout: 5000 }).toEqual([sent.id]);
    await handle.close();
  });
});
