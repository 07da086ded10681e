import { eventEmitter } from '../contenders/event-emitter.js';
import { moleculer } from '../contenders/moleculer.js';
import { polisMemory } from '../contenders/polis-memory.js';
import { alternate } from '../measure.js';
import type { RunningContender } from '../measure.js';
import { ratioResult } from '../result.js';
import type { Scenario } from '../scenario.js';
import { sized } from '../settings.js';
import { measuring } from '../throughput.js';

/**
 * In-memory publish -> one handler plugin, against Moleculer's local emit and against a bare
 * EventEmitter. The three run in the same rounds, so both keys divide the same Polis figures.
 */
export const memoryScenario: Scenario = {
  name: 'memory',
  keys: ['memory_vs_moleculer', 'memory_vs_emitter'],
  async run({ settings }) {
    const durationMs = sized(settings, 400, 20);
    const running: RunningContender[] = [];
    try {
      running.push(await polisMemory({ durationMs, consumers: 1 }), await moleculer({ durationMs }));
      const [p, m, e] = await alternate([...running, eventEmitter({ durationMs, listeners: 1 })], settings);
      const notes = [measuring(durationMs)];
      return [
        ratioResult({
          key: 'memory_vs_moleculer',
          title: 'publish -> 1 handler plugin, validated, vs Moleculer local broker.emit -> 1 event handler (not validated)',
          numerator: p!,
          denominator: m!,
          target: { op: '>=', bound: 2.5 },
          notes,
        }),
        ratioResult({
          key: 'memory_vs_emitter',
          title: 'the same Polis figure vs EventEmitter.emit -> 1 listener (no validation, no envelope)',
          numerator: p!,
          denominator: e!,
          notes,
        }),
      ];
    } finally {
      for (const contender of running) await contender.stop();
    }
  },
};
