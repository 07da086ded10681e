import { polisMemory } from '../contenders/polis-memory.js';
import { alternate } from '../measure.js';
import type { RunningContender } from '../measure.js';
import { scaleTable } from '../report.js';
import type { BenchKey, Result } from '../result.js';
import type { Scenario } from '../scenario.js';
import { sized } from '../settings.js';
import { measuring } from '../throughput.js';

const SIZES: ReadonlyArray<{ subscribers: number; key: BenchKey }> = [
  { subscribers: 1, key: 'memory_eps_subs1' },
  { subscribers: 10, key: 'memory_eps_subs10' },
  { subscribers: 100, key: 'memory_eps_subs100' },
];

/** In-memory throughput (events published per second, each handled by every subscriber) with 1, 10 and 100 subscribing plugins. */
export const subscriberScaleScenario: Scenario = {
  name: 'subscriber scale',
  keys: SIZES.map((size) => size.key),
  async run({ settings }) {
    const durationMs = sized(settings, 400, 20);
    const kernels: RunningContender[] = [];
    try {
      for (const { subscribers } of SIZES) kernels.push(await polisMemory({ label: `${subscribers} subscribers`, durationMs, consumers: subscribers }));
      // Alternated like any comparison, so the three sizes see the same machine state.
      const figures = await alternate(kernels, settings);
      const results: Result[] = SIZES.map(({ subscribers, key }, i) => ({
        key,
        title: `in-memory publish -> ${subscribers} subscribing plugin${subscribers === 1 ? '' : 's'} (events published/s, each handled by every subscriber)`,
        figures: [figures[i]!],
        perRound: figures[i]!.perRound,
        target: undefined,
        notes: [measuring(durationMs)],
      }));
      console.log(scaleTable('in-memory throughput', 'plugins', SIZES.map(({ subscribers }, i) => [subscribers, results[i]!])));
      return results;
    } finally {
      for (const kernel of kernels) await kernel.stop();
    }
  },
};
