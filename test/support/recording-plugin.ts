import { definePlugin } from '@polis/plugin-api';
import type { CloudEvent, Consumable, PluginDefinition } from '@polis/plugin-api';

/** A plugin that only consumes: every event it receives, on any of `consumes`, lands in `seen`. */
export function recordingPlugin(name: string, consumes: readonly Consumable[], seen: CloudEvent[]): PluginDefinition {
  return definePlugin({
    name,
    version: '1.0.0',
    kernel: '^1',
    consumes,
    setup(ctx) {
      for (const consumable of consumes) ctx.on(consumable, (event) => void seen.push(event));
    },
  }) as PluginDefinition;
}
