import { NatsKvSchemaStore } from '@polis/bus-nats';
import { Kernel, createLogger } from '@polis/kernel';
import { EventDeadLettered, Type, defineEvent, definePlugin } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { afterAll, describe, expect, it } from 'vitest';
import { removeNatsState, testTransport, uniquePrefix } from '../support/nats-env.js';

const Gadget = defineEvent({ type: 'vendor.gadget.switched', version: 1, schema: Type.Object({ on: Type.Boolean() }) });

describe.each([false, true])('an event type new to the deployment, on core NATS (jetstream %s)', (jetstream) => {
  const prefix = uniquePrefix(`arrival-${jetstream}`);
  const bucket = `polis_schemas_${prefix.replace(/-/g, '_')}`;
  const kernels: Kernel[] = [];
  const node = (): Kernel => {
    const transport = testTransport({ prefix, jetstream });
    const kernel = new Kernel({
      transport,
      schemaStore: new NatsKvSchemaStore({ connection: () => transport.kernelConnection(), bucket }),
      logger: createLogger({ level: 'silent' }),
      retry: { initialDelayMs: 50, backoffFactor: 2, maxAttempts: 5 },
    });
    kernels.push(kernel);
    return kernel;
  };
  afterAll(async () => {
    await Promise.all(kernels.map((kernel) => kernel.stop()));
    await removeNatsState(prefix, [bucket]);
  });

  it('reaches a node that learns its schema a moment after the first events arrive', async () => {
    const seen: CloudEvent[] = [];
    const letters: CloudEvent[] = [];
    const watcher = definePlugin({
      name: 'watcher',
      version: '1.0.0',
      kernel: '^1',
      consumes: ['vendor.>', EventDeadLettered],
      setup(ctx) {
        ctx.on('vendor.>', (event) => void seen.push(event));
        ctx.on(EventDeadLettered, (event) => void letters.push(event));
      },
    });
    const vendor = definePlugin({
      name: 'vendor',
      version: '1.0.0',
      kernel: '^1',
      publishes: [Gadget],
      setup(ctx) {
        // Published at once, while the other node may not have the new schema yet.
        ctx.onStart(async () => {
          for (let i = 0; i < 5; i++) await ctx.publish(Gadget, { on: i % 2 === 0 });
        });
      },
    });
    await node().start([watcher]);
    await node().start([vendor]);
    await expect.poll(() => seen.length, { timeout: 5000 }).toBe(5);
    expect(letters).toEqual([]);
  });
});
