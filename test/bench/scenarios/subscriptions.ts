import { definePlugin } from '@polis/plugin-api';
import type { AnyPlugin } from '@polis/plugin-api';
import { polisMemory } from '../contenders/polis-memory.js';
import { alternate } from '../measure.js';
import type { Figure, RunningContender } from '../measure.js';
import { ratioResult } from '../result.js';
import type { Scenario } from '../scenario.js';
import { sized } from '../settings.js';
import { Tally } from '../tally.js';
import { measuring } from '../throughput.js';

const MANY = 10_000;
const FEW = 10;
const PER_PLUGIN = 100;

/**
 * The `s`th pattern of plugin `p`: exact types, `*` and `>` in several positions, some sharing
 * `traffic` or `traffic.detector` with the event published, so matching walks the shared trie
 * branches and the `*` branches, yet none matches `traffic.detector.reported`.
 */
function pattern(p: number, s: number): string {
  const id = `p${p}-s${s}`;
  switch (s % 5) {
    case 0:
      return `parking.bay-${id}.occupied`;
    case 1:
      return `traffic.*.${id}`;
    case 2:
      return `traffic.detector.${id}.>`;
    case 3:
      return `*.${id}.reported`;
    default:
      return `safety.${id}.>`;
  }
}

/**
 * `count` subscriptions that never match the published event, in plugins of PER_PLUGIN
 * subscriptions each. Their handlers count into `strays`, which must stay at zero.
 */
function bystanders(count: number, strays: Tally): AnyPlugin[] {
  const plugins: AnyPlugin[] = [];
  for (let p = 0; p * PER_PLUGIN < count; p++) {
    const patterns = Array.from({ length: Math.min(PER_PLUGIN, count - p * PER_PLUGIN) }, (_, s) => pattern(p, s));
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

/** Per-event cost from a throughput figure, so the key reads as "how much dearer is a publish". */
function costOf(figure: Figure): Figure {
  return { label: figure.label, unit: 'ns/event', perRound: figure.perRound.map((eventsPerSecond) => 1e9 / eventsPerSecond) };
}

/**
 * The cost of a publish with 10,000 subscriptions in the kernel against 10, one of which (a
 * consumer plugin) matches in both: the subscription index should make the other 9,999 free.
 */
export const subscriptionsScenario: Scenario = {
  name: 'subscriptions',
  keys: ['subs10000_vs_10'],
  async run({ settings }) {
    const durationMs = sized(settings, 400, 20);
    const strays = new Tally();
    const kernels: RunningContender[] = [];
    try {
      for (const total of [MANY, FEW]) {
        const label = `${total.toLocaleString('en-US')} subscriptions`;
        kernels.push(await polisMemory({ label, durationMs, consumers: 1, others: bystanders(total - 1, strays) }));
      }
      const [many, few] = await alternate(kernels, settings);
      if (strays.count > 0) throw new Error(`${strays.count} events reached subscriptions whose patterns do not match them`);
      return [
        ratioResult({
          key: 'subs10000_vs_10',
          title: `cost of a publish -> 1 consumer with ${MANY.toLocaleString('en-US')} subscriptions (exact, * and > patterns, ${PER_PLUGIN} per plugin) vs with ${FEW}`,
          numerator: costOf(many!),
          denominator: costOf(few!),
          target: { op: '<=', bound: 3 },
          notes: [measuring(durationMs), 'one event type is published, so every publish after the first finds its subscribers in the per-type cache'],
        }),
      ];
    } finally {
      for (const kernel of kernels) await kernel.stop();
    }
  },
};
