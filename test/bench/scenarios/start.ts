import { traffic } from '@polis/contracts';
import { defineEvent, definePlugin } from '@polis/plugin-api';
import type { AnyPlugin, EventDefinition } from '@polis/plugin-api';
import { startKernel } from '../bench-kernel.js';
import { alternate } from '../measure.js';
import type { Contender } from '../measure.js';
import type { Scenario } from '../scenario.js';

const PLUGINS = 100;

/**
 * Each plugin's own event: the detector reading's schema under a type of its own, made distinct
 * (its own detector id pattern) because the registry compiles an identical schema only once, and
 * a real fleet's contracts differ.
 */
function unitEvent(i: number): EventDefinition {
  const schema = structuredClone(traffic.DetectorReported.schema) as { properties: { detectorId: Record<string, unknown> } };
  schema.properties.detectorId = { ...schema.properties.detectorId, pattern: `^unit-${i}-` };
  return defineEvent({ type: `fleet.unit-${i}.reported`, version: 1, schema });
}

/**
 * A fleet of plugins as a city deployment has them: each publishes an event of its own and
 * subscribes twice, to its neighbour's event and to a wildcard over the whole fleet.
 */
function fleet(): AnyPlugin[] {
  const events = Array.from({ length: PLUGINS }, (_, i) => unitEvent(i));
  return events.map((own, i) => {
    const neighbour = events[(i + 1) % PLUGINS]!;
    return definePlugin({
      name: `unit-${i}`,
      version: '1.0.0',
      kernel: '^1',
      publishes: [own],
      consumes: [neighbour, 'fleet.*.alarm'],
      setup(ctx) {
        // Nothing is published while the kernel starts: the handlers are there for their subscriptions.
        ctx.on(neighbour, () => undefined);
        ctx.on('fleet.*.alarm', () => undefined);
      },
    });
  });
}

/** Milliseconds to create a kernel and `start` 100 plugins: manifests, configs, schema compilation, setup, subscriptions. */
export const startScenario: Scenario = {
  name: 'start',
  keys: ['start100_ms'],
  async run({ settings }) {
    const plugins = fleet();
    const contender: Contender = {
      label: 'polis',
      unit: 'ms',
      async measure() {
        const began = performance.now();
        const kernel = await startKernel(plugins);
        const elapsed = performance.now() - began;
        await kernel.stop();
        return elapsed;
      },
    };
    const [figure] = await alternate([contender], settings);
    return [
      {
        key: 'start100_ms',
        title: `new Kernel + kernel.start(${PLUGINS} plugins), each declaring an event of its own and subscribing twice, memory transport`,
        figures: [figure!],
        perRound: figure!.perRound,
        target: { op: '<', bound: 1000 },
        notes: ['each round starts a new kernel, so every schema is compiled again'],
      },
    ];
  },
};
