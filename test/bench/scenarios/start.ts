import { traffic } from '@polis/contracts';
import { defineEvent, definePlugin } from '@polis/plugin-api';
import type { AnyPlugin, EventDefinition } from '@polis/plugin-api';
import { startKernel } from '../bench-kernel.js';
import { alternate } from '../measure.js';
import { scaleTable } from '../report.js';
import type { Contender } from '../measure.js';
import type { BenchKey, Result } from '../result.js';
import type { Scenario } from '../scenario.js';

/** The fleet sizes of the scale table, each a key `start<n>_ms` with its target. */
const SIZES: ReadonlyArray<{ plugins: number; key: BenchKey; bound: number | undefined }> = [
  { plugins: 10, key: 'start10_ms', bound: undefined },
  { plugins: 100, key: 'start100_ms', bound: 1000 },
  { plugins: 1000, key: 'start1000_ms', bound: 2000 },
];

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
export function fleet(size: number): AnyPlugin[] {
  const events = Array.from({ length: size }, (_, i) => unitEvent(i));
  return events.map((own, i) => {
    const neighbour = events[(i + 1) % size]!;
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

/** Heap in use plus external memory after a full GC, in kB: what the live objects hold. */
function liveMemoryKb(): number {
  gc!();
  const { heapUsed, external } = process.memoryUsage();
  return (heapUsed + external) / 1024;
}

/** Milliseconds to create a kernel and `start` 10, 100 and 1,000 plugins: manifests, configs, schema compilation, setup, subscriptions. */
export const startScenario: Scenario = {
  name: 'start',
  keys: [...SIZES.map((size) => size.key), 'rss_kb_per_plugin'],
  async run({ settings }) {
    const results: Result[] = [];
    // Per size, the live memory (heap + external, after a full GC) with the started fleet idle, per round.
    const liveKb = new Map<number, number[]>();
    for (const { plugins: size, key, bound } of SIZES) {
      const plugins = fleet(size);
      const live: number[] = [];
      liveKb.set(size, live);
      const contender: Contender = {
        label: 'polis',
        unit: 'ms',
        async measure() {
          const began = performance.now();
          const kernel = await startKernel(plugins);
          const elapsed = performance.now() - began;
          live.push(liveMemoryKb());
          await kernel.stop();
          return elapsed;
        },
      };
      const [figure] = await alternate([contender], settings);
      live.splice(0, live.length - settings.rounds);
      results.push({
        key,
        title: `new Kernel + kernel.start(${size.toLocaleString('en-US')} plugins), each declaring an event of its own and subscribing twice, memory transport`,
        figures: [figure!],
        perRound: figure!.perRound,
        target: bound === undefined ? undefined : { op: '<', bound },
        notes: ['each round starts a new kernel, so every schema is compiled again'],
      });
    }
    const at100 = liveKb.get(100)!;
    const at1000 = liveKb.get(1000)!;
    const perPlugin = at1000.map((kb, round) => (kb - at100[round]!) / 900);
    results.push({
      key: 'rss_kb_per_plugin',
      title: 'memory per idle loaded plugin: growth of live memory from 100 to 1,000 started plugins, divided by 900',
      figures: [{ label: 'polis', unit: 'kB/plugin', perRound: perPlugin }],
      perRound: perPlugin,
      target: undefined,
      notes: ['live memory = V8 heap used + external after a full GC, with the kernel started and idle; RSS itself keeps pages a stopped kernel freed, so it cannot separate one fleet from the last'],
    });
    console.log(scaleTable('start time', 'plugins', SIZES.map(({ plugins }, i) => [plugins, results[i]!])));
    return results;
  },
};
