import { EventEmitter } from 'node:events';
import { traffic } from '@polis/contracts';
import type { Contender } from '../measure.js';
import { freshReading } from '../payload.js';
import type { DetectorReading } from '../payload.js';
import { Tally } from '../tally.js';
import { publishThroughput } from '../throughput.js';

/**
 * The floor of in-process messaging: node's EventEmitter with `listeners` listeners, the same
 * reading object handed to each synchronously, no validation, no envelope, no copy.
 */
export function eventEmitter(options: { durationMs: number; listeners: number }): Contender {
  const tally = new Tally();
  const emitter = new EventEmitter();
  for (let i = 0; i < options.listeners; i++) emitter.on(traffic.DetectorReported.type, (reading: DetectorReading) => tally.record(reading));
  const label = 'EventEmitter';
  return {
    label,
    unit: 'events/s',
    measure: () => publishThroughput(label, options.durationMs, options.listeners, () => emitter.emit(traffic.DetectorReported.type, freshReading()), tally),
  };
}
