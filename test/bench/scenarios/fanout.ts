import { eventEmitter } from '../contenders/event-emitter.js';
import { polisMemory } from '../contenders/polis-memory.js';
import { alternate } from '../measure.js';
import { ratioResult } from '../result.js';
import type { Scenario } from '../scenario.js';
import { sized } from '../settings.js';
import { measuring } from '../throughput.js';

const CONSUMERS = 10;

/** One event to ten consuming plugins against an EventEmitter with ten listeners. */
export const fanoutScenario: Scenario = {
  name: 'fanout',
  keys: ['fanout10_vs_emitter'],
  async run({ settings }) {
    const durationMs = sized(settings, 400, 20);
    const polis = await polisMemory({ durationMs, consumers: CONSUMERS });
    try {
      const [p, e] = await alternate([polis, eventEmitter({ durationMs, listeners: CONSUMERS })], settings);
      return [
        ratioResult({
          key: 'fanout10_vs_emitter',
          title: `publish -> ${CONSUMERS} consuming plugins vs EventEmitter.emit -> ${CONSUMERS} listeners (events published/s, each handled ${CONSUMERS} times)`,
          numerator: p!,
          denominator: e!,
          notes: [measuring(durationMs)],
        }),
      ];
    } finally {
      await polis.stop();
    }
  },
};
