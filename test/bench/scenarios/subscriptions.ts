import { traffic } from '@polis/contracts';
import { defineEvent, definePlugin } from '@polis/plugin-api';
import type { AnyPlugin, EventDefinition } from '@polis/plugin-api';
import { startKernel } from '../bench-kernel.js';
import { alternate } from '../measure.js';
import type { Figure, RunningContender } from '../measure.js';
import { freshReading } from '../payload.js';
import { ratioResult } from '../result.js';
import type { Scenario } from '../scenario.js';
import { sized } from '../settings.js';
import { Tally } from '../tally.js';
import { measuring, publishThroughput } from '../throughput.js';

const MANY = 10_000;
const FEW = 10;
const PER_PLUGIN = 100;
const TYPES = 1_000;

/** The published types: `district.d<i>.reported`, the detector reading's schema under each (the registry compiles it once). */
const types: readonly EventDefinition[] = Array.from({ length: TYPES }, (_, i) =>
  defineEvent({ type: `district.d${i}.reported`, version: 1, schema: traffic.DetectorReported.schema }),
);

/**
 * The `s`th bystander pattern: exact types and `*` / `>` wildcards under the same `district.d<i>`
 * branches as the published types, so matching a published type descends through busy trie nodes
 * and star branches; yet none matches a published type (the bench checks that none ran).
 */
function pattern(s: number): string {
  const d = `d${s % TYPES}`;
  const id = `s${s}`;
  switch (s % 5) {
    case 0:
      return `district.${d}.${id}`;
    case 1:
      return `district.*.${id}`;
    case 2:
      return `district.${d}.reported.${id}.>`;
    case 3:
      return `*.${d}.${id}`;
    default:
      return `district.${d}.*.${id}`;
  }
}

function bystanders(count: number, strays: Tally): AnyPlugin[] {
  const plugins: AnyPlugin[] = [];
  for (let p = 0; p * PER_PLUGIN < count; p++) {
    const patterns = Array.from({ length: Math.min(PER_PLUGIN, count - p * PER_PLUGIN) }, (_, s) => pattern(p * PER_PLUGIN + s));
    plugins.push(
      definePlugin({
        name: `bystander-${p}`,
        version: '1.0.0',
        kernel: '^1',
        consumes: patterns,
        setup(ctx) {
          for (const subscribed of patterns) ctx.on(subscribed, () => strays.record({ flowVph: 0 }));
        },
      }),
    );
  }
  return plugins;
}

/**
 * A kernel with a gateway publishing round-robin over the 1,000 types and one consumer matching
 * them all (`district.*.reported`), plus `subscriptions - 1` bystanders.
 */
async function kernelWith(subscriptions: number, durationMs: number, strays: Tally): Promise<RunningContender> {
  const tally = new Tally();
  let publish: (() => unknown) | undefined;
  let next = 0;
  const gateway = definePlugin({
    name: 'gateway',
    version: '1.0.0',
    kernel: '^1',
    publishes: types,
    setup(ctx) {
      publish = () => ctx.publish(types[next++ % TYPES]!, freshReading());
    },
  });
  const consumer = definePlugin({
    name: 'consumer',
    version: '1.0.0',
    kernel: '^1',
    consumes: ['district.*.reported'],
    setup(ctx) {
      ctx.on('district.*.reported', (event) => tally.record(event.data as { flowVph: number }));
    },
  });
  const kernel = await startKernel([gateway, consumer, ...bystanders(subscriptions - 1, strays)]);
  const label = `${subscriptions.toLocaleString('en-US')} subscriptions`;
  return {
    label,
    unit: 'events/s',
    measure: () => publishThroughput(label, durationMs, 1, () => publish!(), tally),
    stop: () => kernel.stop(),
  };
}

/** Per-event cost from a throughput figure, so the key reads as "how much dearer is a publish". */
function costOf(figure: Figure): Figure {
  return { label: figure.label, unit: 'ns/event', perRound: figure.perRound.map((eventsPerSecond) => 1e9 / eventsPerSecond) };
}

/**
 * The cost of a publish across 1,000 event types with 10,000 subscriptions in the kernel against
 * 10; in both, one wildcard subscription (a consumer plugin) matches every type.
 */
export const subscriptionsScenario: Scenario = {
  name: 'subscriptions',
  keys: ['subs10000_vs_10'],
  async run({ settings }) {
    const durationMs = sized(settings, 400, 20);
    const strays = new Tally();
    const kernels: RunningContender[] = [];
    try {
      for (const total of [MANY, FEW]) kernels.push(await kernelWith(total, durationMs, strays));
      const [many, few] = await alternate(kernels, settings);
      if (strays.count > 0) throw new Error(`${strays.count} events reached subscriptions whose patterns do not match them`);
      return [
        ratioResult({
          key: 'subs10000_vs_10',
          title: `cost of a publish over ${TYPES.toLocaleString('en-US')} event types -> 1 wildcard consumer with ${MANY.toLocaleString('en-US')} subscriptions (exact, * and > patterns on the same branches, ${PER_PLUGIN} per plugin) vs with ${FEW}`,
          numerator: costOf(many!),
          denominator: costOf(few!),
          target: { op: '<=', bound: 2 },
          notes: [
            measuring(durationMs),
            `types published round-robin; the subject index walks its trie on the first publish of each type and keeps up to 10,000 types' matches cached, so with ${TYPES.toLocaleString('en-US')} types the steady state is a cache lookup per publish`,
          ],
        }),
      ];
    } finally {
      for (const kernel of kernels) await kernel.stop();
    }
  },
};
