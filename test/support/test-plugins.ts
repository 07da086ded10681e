import { definePlugin } from '@polis/plugin-api';
import type { AnyPlugin, CloudEvent, EventDefinition, PluginDefinition } from '@polis/plugin-api';
import { SensorFailed, SensorRead } from './test-contracts.js';

/** A plugin that answers each SensorRead by publishing a SensorFailed through its handler's scope; what it published lands in `effects`. */
export function relayPlugin(effects: CloudEvent[] = [], name = 'relay'): PluginDefinition {
  return definePlugin({
    name,
    version: '1.0.0',
    kernel: '^1',
    consumes: [SensorRead],
    publishes: [SensorFailed],
    setup(ctx) {
      ctx.on(SensorRead, async (event, scope) => {
        effects.push(await scope.publish(SensorFailed, { sensor: event.data.sensor }));
      });
    },
  }) as PluginDefinition;
}

/** A plugin whose SensorRead handler always throws what `failure()` makes; `calls` counts its attempts. */
export function throwingPlugin(name: string, failure: () => unknown, calls: { count: number } = { count: 0 }): PluginDefinition {
  return definePlugin({
    name,
    version: '1.0.0',
    kernel: '^1',
    consumes: [SensorRead],
    setup(ctx) {
      ctx.on(SensorRead, () => {
        calls.count++;
        throw failure();
      });
    },
  }) as PluginDefinition;
}

/** A plugin that only declares it publishes `event` (its schema registers when it loads) and runs no code. */
export function publisherPlugin(name: string, event: EventDefinition): AnyPlugin {
  return definePlugin({ name, version: '1.0.0', kernel: '^1', publishes: [event], setup() {} }) as AnyPlugin;
}

/** A plugin named `sensor` that publishes `count` SensorReads (sensor `s<i>`, value i) one after another when it starts; what it sent lands in `sent`. */
export function sensorPlugin(count = 1, sent: CloudEvent[] = []): PluginDefinition {
  return definePlugin({
    name: 'sensor',
    version: '1.0.0',
    kernel: '^1',
    publishes: [SensorRead],
    setup(ctx) {
      ctx.onStart(async () => {
        for (let i = 0; i < count; i++) sent.push(await ctx.publish(SensorRead, { sensor: `s${i}`, value: i }));
      });
    },
  });
}
