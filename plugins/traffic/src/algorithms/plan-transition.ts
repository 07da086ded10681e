import { TrafficInputError } from './errors.js';
import { requireNumber } from './number-checks.js';

/** What a plan must respect for one phase. */
export interface PlanPhase {
  /** Shortest green, seconds: the pedestrian crossing or driver expectancy. */
  readonly minGreenS: number;
  /** Yellow plus all-red, seconds; never shortened. */
  readonly clearanceS: number;
}

/** A plan to run: whole-second greens, and the cycle they make with the clearances. */
export interface IntegerPlan {
  readonly cycleS: number;
  readonly greensS: readonly number[];
}

/** How far a plan may move from one cycle to the next. */
export interface TransitionLimits {
  /** The cycle changes by at most this many seconds per cycle. */
  readonly maxCycleStepS: number;
  /** Each green changes by at most this many seconds per cycle (more only when the cycle step needs it). */
  readonly maxGreenStepS: number;
}

/**
 * The next plan to run, moving from `running` towards `target` (an optimiser's plan, such as
 * Webster's) by at most the limits, in whole seconds.
 *
 * Adaptive systems move a little each cycle (SCOOT's split optimiser a few seconds, its cycle
 * optimiser a few seconds every few minutes): a plan recomputed from noisy counts and adopted at
 * once makes queues oscillate, and a green that jumps by 20 s strands the platoon it was timed
 * for. So the cycle moves towards the target by at most `maxCycleStepS`, the target's greens
 * are scaled to it, and each green moves by at most `maxGreenStepS` from the running one, the
 * rest of the cycle shared among the phases that still have room. Min greens always hold.
 * Greens are then rounded to whole seconds by largest remainder, so they still add up to the
 * cycle less the clearances, and controllers (which count whole seconds) run the plan exactly.
 *
 * Without a running plan the target is adopted at once (rounded).
 *
 * @throws {TrafficInputError} for mismatched phase counts or negative or non-finite values.
 */
export function nextPlan(running: IntegerPlan | undefined, target: { readonly cycleS: number; readonly greensS: readonly number[] }, phases: readonly PlanPhase[], limits: TransitionLimits): IntegerPlan {
  validate(running, target, phases, limits);
  const clearanceS = sum(phases.map((phase) => phase.clearanceS));
  const minGreensS = phases.map((phase) => Math.ceil(phase.minGreenS - 1e-9));
  const shortestCycleS = sum(minGreensS) + clearanceS;

  let cycleS = target.cycleS;
  if (running !== undefined) cycleS = clamp(cycleS, running.cycleS - limits.maxCycleStepS, running.cycleS + limits.maxCycleStepS);
  // Whole seconds of green, whatever the clearances are.
  const greenTotalS = Math.max(sum(minGreensS), Math.round(Math.max(cycleS, shortestCycleS) - clearanceS));

  const targetTotal = sum(target.greensS);
  const desired = target.greensS.map((greenS) => (targetTotal > 0 ? (greenS * greenTotalS) / targetTotal : greenTotalS / phases.length));
  let lower = minGreensS.map((minimum) => minimum);
  let upper = phases.map(() => Number.POSITIVE_INFINITY);
  if (running !== undefined) {
    lower = running.greensS.map((greenS, i) => Math.max(minGreensS[i]!, greenS - limits.maxGreenStepS));
    upper = running.greensS.map((greenS) => greenS + limits.maxGreenStepS);
    // A cycle step larger than the greens' steps allow is shared beyond them.
    if (sum(lower) > greenTotalS) lower = minGreensS.map((minimum) => minimum);
    if (sum(upper) < greenTotalS) upper = phases.map(() => Number.POSITIVE_INFINITY);
  }
  const greens = allocate(greenTotalS, desired, lower, upper);
  const greensS = roundPreservingSum(greens, greenTotalS, minGreensS);
  return { cycleS: round9(sum(greensS) + clearanceS), greensS };
}

/**
 * Shares `total` so each share is as close to its `desired` value as the bounds allow: clamp,
 * then hand what is missing (or take what is over) to the shares that still have room, in
 * proportion to their desired values, until it adds up. Each round pins at least one share.
 */
function allocate(total: number, desired: readonly number[], lower: readonly number[], upper: readonly number[]): number[] {
  const shares = desired.map((value, i) => clamp(value, lower[i]!, upper[i]!));
  for (let round = 0; round <= shares.length; round++) {
    const gap = total - sum(shares);
    if (Math.abs(gap) < 1e-9) break;
    const open = shares.map((_, i) => i).filter((i) => (gap > 0 ? shares[i]! < upper[i]! : shares[i]! > lower[i]!));
    if (open.length === 0) break;
    const weights = open.map((i) => Math.max(desired[i]!, 1e-6));
    const weightTotal = sum(weights);
    open.forEach((i, k) => {
      shares[i] = clamp(shares[i]! + (gap * weights[k]!) / weightTotal, lower[i]!, upper[i]!);
    });
  }
  return shares;
}

/** Whole numbers adding up to `total` (an integer), each at least its minimum: floors, then the largest remainders get a second each. */
function roundPreservingSum(values: readonly number[], total: number, minima: readonly number[]): number[] {
  const floors = values.map((value, i) => Math.max(minima[i]!, Math.floor(value + 1e-9)));
  let missing = total - sum(floors);
  const byRemainder = values.map((value, i) => ({ i, remainder: value - floors[i]! })).sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (let k = 0; missing > 0; k = (k + 1) % byRemainder.length, missing--) floors[byRemainder[k]!.i]! += 1;
  // Floors raised to minima may overshoot: take the excess back from the largest greens above their minimum.
  while (missing < 0) {
    const donor = floors.map((value, i) => ({ i, room: value - minima[i]! })).sort((a, b) => b.room - a.room)[0]!;
    if (donor.room <= 0) break;
    floors[donor.i]! -= 1;
    missing += 1;
  }
  return floors;
}

function validate(running: IntegerPlan | undefined, target: { readonly cycleS: number; readonly greensS: readonly number[] }, phases: readonly PlanPhase[], limits: TransitionLimits): void {
  if (phases.length === 0) throw new TrafficInputError('phases', 'needs at least one phase');
  if (target.greensS.length !== phases.length) throw new TrafficInputError('target.greensS', `has ${target.greensS.length} greens for ${phases.length} phases`);
  requireNumber(target.cycleS, 'target.cycleS', { above: 0 });
  target.greensS.forEach((greenS, i) => requireNumber(greenS, `target.greensS[${i}]`, { min: 0 }));
  phases.forEach((phase, i) => {
    requireNumber(phase.minGreenS, `phases[${i}].minGreenS`, { min: 0 });
    requireNumber(phase.clearanceS, `phases[${i}].clearanceS`, { min: 0 });
  });
  requireNumber(limits.maxCycleStepS, 'limits.maxCycleStepS', { min: 0 });
  requireNumber(limits.maxGreenStepS, 'limits.maxGreenStepS', { min: 0 });
  if (running !== undefined) {
    if (running.greensS.length !== phases.length) throw new TrafficInputError('running.greensS', `has ${running.greensS.length} greens for ${phases.length} phases`);
    requireNumber(running.cycleS, 'running.cycleS', { above: 0 });
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function round9(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
