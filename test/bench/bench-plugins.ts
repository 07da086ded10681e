import { traffic } from '@polis/contracts';
import { definePlugin } from '@polis/plugin-api';
import type { AnyPlugin, CloudEvent } from '@polis/plugin-api';
import { freshReading } from './payload.js';
import type { Tally } from './tally.js';

/** A field gateway plugin; the bench publishes through it as the gateway's code would. */
export interface Gateway {
  readonly plugin: AnyPlugin;
  /** Publishes the detector reading through the plugin's context (validated, enveloped). */
  publish(): Promise<CloudEvent>;
}

export function gatewayPlugin(name = 'gateway'): Gateway {
  let publish: (() => Promise<CloudEvent>) | undefined;
  const plugin = definePlugin({
    name,
    version: '1.0.0',
    kernel: '^1',
    publishes: [traffic.DetectorReported],
    setup(ctx) {
      publish = () => ctx.publish(traffic.DetectorReported, freshReading());
    },
  });
  return {
    plugin,
    publish: () => {
      if (publish === undefined) throw new Error(`the ${name} plugin is not set up`);
      return publish();
    },
  };
}

/** A plugin whose synchronous handler records every detector reading in `tally`. */
export function counterPlugin(name: string, tally: Tally): AnyPlugin {
  return definePlugin({
    name,
    version: '1.0.0',
    kernel: '^1',
    consumes: [traffic.DetectorReported],
    setup(ctx) {
      ctx.on(traffic.DetectorReported, (event) => tally.record(event.data));
    },
  });
}
