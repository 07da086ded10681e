import { Kernel, MemoryBroker, MemoryStateStore, MemoryTransport, createLogger } from '@polis/kernel';
import type { TransportHandle, TransportSubscription } from '@polis/kernel/transport';
import { definePlugin } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import { AlarmRaised, SensorFailed, SensorRead } from '../support/test-contracts.js';
import { sensorPlugin } from '../support/test-plugins.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Says of every event that it was handed out before, as JetStream does of a message whose ack
 * never came, and may hand out a finished event again: the kernel keeps its record of handled events.
 */
class RedeliveringTransport extends MemoryTransport {
  override readonly repeatsDeliveries = true;
  override subscribe(subscription: TransportSubscription): Promise<TransportHandle> {
    return super.subscribe({ ...subscription, handle: (event) => subscription.handle(event, true) });
  }
}

describe('a handler call as a transaction', () => {
  it('sends nothing of a failed attempt, and what the successful retry published once', async () => {
    let attempts = 0;
    const alarm = definePlugin({
      name: 'alarm',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SensorRead],
      publishes: [AlarmRaised],
      setup(ctx) {
        ctx.on(SensorRead, async (_event, scope) => {
          attempts++;
          await scope.publish(AlarmRaised, { level: 3 });
          if (attempts === 1) throw new Error('the siren did not answer');
        });
      },
    });
    const kit = await startTestKernel({ plugins: [alarm] });
    await kit.publish(SensorRead, { sensor: 's1', value: 1 });
    await kit.expectEvent(AlarmRaised);
    await kit.expectNoEvent(AlarmRaised, { where: (event) => event.id !== kit.eventsOf(AlarmRaised)[0]?.id, within: 100 });
    expect(attempts).toBe(2);
    expect(kit.eventsOf(AlarmRaised)).toHaveLength(1);
    await kit.stop();
  });

  it('does not handle a redelivered event it already handled, but handles an event from another source with the same id', async () => {
    const handled: string[] = [];
    const counter = definePlugin({
      name: 'counter',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SensorRead],
      setup(ctx) {
        ctx.on(SensorRead, (event) => {
          handled.push(`${event.source}/${event.id}`);
        });
      },
    });
    const transport = new RedeliveringTransport();
    const kit = await startTestKernel({ plugins: [counter], transport });
    const first = await kit.publish(SensorRead, { sensor: 's1', value: 1 });
    await waitFor(() => handled.length === 1);
    transport.publish(first);
    transport.publish({ ...first, source: 'elsewhere' } as CloudEvent);
    await waitFor(() => handled.length === 2);
    await kit.publish(SensorRead, { sensor: 's1', value: 2 });
    await waitFor(() => handled.length === 3);
    expect(handled).toEqual([`testkit/${first.id}`, `elsewhere/${first.id}`, expect.stringMatching(/^testkit\//)]);
    await kit.stop();
  });

  it('lets a timer publish on behalf of an event with ctx.scopeFor, at once and in its chain', async () => {
    const watchdog = definePlugin({
      name: 'watchdog',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SensorRead],
      publishes: [SensorFailed],
      setup(ctx) {
        ctx.on(SensorRead, (event) => {
          ctx.clock.setTimeout(() => void ctx.scopeFor(event).publish(SensorFailed, { sensor: event.data.sensor }), 1000);
        });
      },
    });
    const kit = await startTestKernel({ plugins: [watchdog] });
    const read = await kit.publish(SensorRead, { sensor: 's1', value: 1 });
    await kit.clock.advance(1000);
    const failed = await kit.expectEvent(SensorFailed);
    expect(failed.causationid).toBe(read.id);
    expect(failed.correlationid).toBe(read.correlationid);
    await kit.stop();
  });

  it('recognises after a restart an event handled before it, when the deployment keeps state durably and asks for it', async () => {
    const handled: CloudEvent[] = [];
    const counter = definePlugin({
      name: 'counter',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SensorRead],
      setup(ctx) {
        ctx.on(SensorRead, (event) => {
          handled.push(event);
        });
      },
    });
    const stores = new Map<string, MemoryStateStore>();
    const durableState = (plugin: string) => stores.get(plugin) ?? stores.set(plugin, new MemoryStateStore()).get(plugin)!;
    const broker = new MemoryBroker();
    // Both runs on a transport that, like JetStream, may hand a finished event out again.
    const boot = async (plugins: Parameters<Kernel['start']>[0], transport = new RedeliveringTransport(broker)) => {
      const kernel = new Kernel({ transport, stateStore: durableState, durableIdempotency: true, logger: createLogger({ level: 'error' }) });
      await kernel.start(plugins);
      return kernel;
    };
    const before = await boot([counter, sensorPlugin()]);
    await waitFor(() => handled.length === 1);
    await before.stop();

    const after = await boot([counter]);
    // The broker hands the same event again, as JetStream does when the ack was lost in the crash.
    new MemoryTransport(broker).publish(handled[0]!);
    new MemoryTransport(broker).publish({ ...handled[0]!, id: `${handled[0]!.id}-new` });
    await waitFor(() => handled.length === 2);
    expect(handled.map((event) => event.id)).toEqual([handled[0]!.id, `${handled[0]!.id}-new`]);
    await after.stop();
  });
});
