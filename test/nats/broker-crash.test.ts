import { definePlugin } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { testTransport, uniquePrefix } from '../support/nats-env.js';
import { startNatsServer } from '../support/nats-server.js';
import type { NatsServer } from '../support/nats-server.js';
import { SensorRead } from '../support/test-contracts.js';

const EVENTS = 10_000;

describe('a broker killed with -9 while durable events are in flight', () => {
  let server: NatsServer | undefined;

  afterAll(async () => {
    await server?.stop();
  });

  it(
    'loses no event and handles none twice once it restarts on the same store, without restarting the kernel',
    async () => {
      server = await startNatsServer();
      const prefix = uniquePrefix('crash');
      const handled = new Map<string, number>();
      const tally = definePlugin({
        name: 'tally',
        version: '1.0.0',
        kernel: '^1',
        consumes: [SensorRead],
        setup(ctx) {
          ctx.on(
            SensorRead,
            async (event) => {
              handled.set(event.id, (handled.get(event.id) ?? 0) + 1);
              // Hold each event a moment, so thousands are in flight when the broker dies.
              await new Promise((resolve) => setTimeout(resolve, 1));
            },
            { concurrency: 64 },
          );
        },
      });
      const consumer = await startTestKernel({ plugins: [tally], transport: testTransport({ servers: server.url, prefix, jetstream: { ackWaitMs: 2_000 } }) });
      const producer = await startTestKernel({ plugins: [], transport: testTransport({ servers: server.url, prefix }) });

      const sent: string[] = [];
      for (let start = 0; start < EVENTS; start += 500) {
        const batch = Array.from({ length: Math.min(500, EVENTS - start) }, (_, i) => producer.publish(SensorRead, { sensor: 'load', value: start + i }));
        for (const event of await Promise.all(batch)) sent.push(event.id);
      }
      await expect.poll(() => handled.size, { timeout: 30_000, interval: 5 }).toBeGreaterThanOrEqual(EVENTS / 4);
      const handledAtCrash = handled.size;
      await server.kill9();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await server.restart();

      await expect.poll(() => handled.size, { timeout: 60_000, interval: 50 }).toBe(EVENTS);
      // Redeliveries of events whose acks the crash lost arrive up to an ack wait later.
      await new Promise((resolve) => setTimeout(resolve, 2_500));

      const twice = [...handled].filter(([, count]) => count > 1);
      console.info(`kill -9 with ${EVENTS - handledAtCrash} of ${EVENTS} durable events unhandled; after restart: ${handled.size} handled, ${twice.length} twice`);
      expect(new Set(sent).size).toBe(EVENTS);
      expect(sent.every((id) => handled.has(id))).toBe(true);
      expect(twice).toEqual([]);
      expect(handledAtCrash).toBeLessThan(EVENTS);
      expect(consumer.deadLetters.filter((letter) => letter.data.plugin === 'tally')).toEqual([]);
      expect(consumer.logs.some((record) => record.message.includes('re-established'))).toBe(true);
      expect(consumer.kernel.plugin('tally')?.state).toBe('running');

      await producer.stop();
      await consumer.stop();
    },
    120_000,
  );
});
