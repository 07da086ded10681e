import { TrafficInputError } from './errors.js';
import { requireNumber } from './number-checks.js';

/** One signal along an arterial, in driving order. */
export interface ArterialSignal {
  readonly intersectionId: string;
  /** Seconds from the start of this signal's cycle to the start of the arterial phase's green. */
  readonly phaseStartS: number;
  /** Seconds of driving from the previous signal's stop line to this one's (0 for the first). */
  readonly travelFromPreviousS: number;
}

/**
 * Offsets for a one-way green wave: each signal's cycle starts so that its arterial green begins
 * when a vehicle that left the previous signal at the start of its green arrives. All signals run
 * the common cycle `cycleS`; offsets are seconds after a shared reference time, in [0, cycleS).
 * The first signal's arterial green starts at the reference.
 *
 * Worked example: 400 m blocks at 60 km/h take 24 s; with a 60 s cycle and the arterial phase
 * starting 25 s into each cycle, the greens start at 0, 24, 48 s, so the cycles start at
 * -25, -1, 23 s: offsets 35, 59, 23.
 *
 * @throws {TrafficInputError} for an empty arterial, a cycle <= 0 or negative times.
 */
export function greenWaveOffsets(signals: readonly ArterialSignal[], cycleS: number): Map<string, number> {
  if (signals.length === 0) throw new TrafficInputError('signals', 'an arterial needs at least one signal');
  requireNumber(cycleS, 'cycleS', { above: 0 });
  const offsets = new Map<string, number>();
  let greenStartS = 0;
  signals.forEach((signal, i) => {
    requireNumber(signal.phaseStartS, `signals[${i}].phaseStartS`, { min: 0 });
    requireNumber(signal.travelFromPreviousS, `signals[${i}].travelFromPreviousS`, { min: 0 });
    if (i > 0) greenStartS += signal.travelFromPreviousS;
    offsets.set(signal.intersectionId, modulo(greenStartS - signal.phaseStartS, cycleS));
  });
  return offsets;
}

/**
 * How much to lengthen (positive) or shorten (negative) the next cycle, by at most `maxStepS`,
 * so cycles starting at `cycleStartMs` drift towards starting at `referenceMs + offsetS` modulo
 * the cycle: the shorter way round, as controllers' "shortway" offset transitions do.
 */
export function offsetCorrectionS(cycleStartMs: number, referenceMs: number, offsetS: number, cycleS: number, maxStepS: number): number {
  requireNumber(cycleS, 'cycleS', { above: 0 });
  requireNumber(maxStepS, 'maxStepS', { min: 0 });
  // How late this cycle starts against the target, in [0, cycle).
  const lateS = modulo((cycleStartMs - referenceMs) / 1000 - offsetS, cycleS);
  if (lateS < 1e-6 || cycleS - lateS < 1e-6) return 0;
  return lateS <= cycleS / 2 ? -Math.min(lateS, maxStepS) : Math.min(cycleS - lateS, maxStepS);
}

function modulo(value: number, divisor: number): number {
  const result = value % divisor;
  const positive = result < 0 ? result + divisor : result;
  return Math.abs(positive - divisor) < 1e-9 ? 0 : Math.round(positive * 1e9) / 1e9;
}
