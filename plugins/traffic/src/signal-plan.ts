import type { IntersectionSpec, PhaseSpec } from './algorithms/road-network.js';
import { nextPlan } from './algorithms/plan-transition.js';
import type { TransitionLimits } from './algorithms/plan-transition.js';
import { websterTiming } from './algorithms/webster.js';

/** A plan for one intersection: one cycle of whole-second greens, each followed by its clearances. */
export interface SignalPlan {
  readonly cycleS: number;
  /** Displayed green of each phase, in the intersection's phase order. */
  readonly greensS: readonly number[];
  /** Y, the sum of the phases' critical flow ratios. */
  readonly flowRatioSum: number;
  readonly overCapacity: boolean;
}

/** Webster's lost-time parameters, see `websterTiming`. */
export interface SignalTimingOptions {
  readonly startupLostTimeS: number;
  readonly greenExtensionS: number;
}

/**
 * Webster's plan for an intersection from its phases' measured lane demands: the optimiser's
 * target, in fractional seconds. Displayed greens plus every phase's yellow and all-red add up
 * to the cycle.
 *
 * @throws {TrafficInputError} when the lost-time parameters make a phase's lost time negative.
 */
export function websterTarget(intersection: IntersectionSpec, laneDemandsVph: (phase: PhaseSpec) => readonly number[], options: SignalTimingOptions): SignalPlan {
  const timing = websterTiming({
    phases: intersection.phases.map((phase) => ({ ...phase, laneFlowsVph: laneDemandsVph(phase) })),
    minCycleS: intersection.minCycleS,
    maxCycleS: intersection.maxCycleS,
    startupLostTimeS: options.startupLostTimeS,
    greenExtensionS: options.greenExtensionS,
  });
  return { cycleS: timing.cycleS, greensS: timing.greensS, flowRatioSum: timing.Y, overCapacity: timing.overCapacity };
}

/** The next whole-second plan to run, a bounded step from `running` towards `target` (see `nextPlan`). */
export function stepTowards(intersection: IntersectionSpec, running: SignalPlan | undefined, target: SignalPlan, limits: TransitionLimits): SignalPlan {
  const phases = intersection.phases.map((phase) => ({ minGreenS: phase.minGreenS, clearanceS: phase.yellowS + phase.allRedS }));
  const plan = nextPlan(running, target, phases, limits);
  return { ...plan, flowRatioSum: target.flowRatioSum, overCapacity: target.overCapacity };
}

/**
 * Whether `next` differs enough from `running` to replace it: flows jitter from reading to
 * reading, and re-timing a controller for a fraction of a second buys nothing.
 */
export function planChanged(running: SignalPlan, next: SignalPlan, thresholdS: number): boolean {
  if (running.overCapacity !== next.overCapacity) return true;
  if (Math.abs(running.cycleS - next.cycleS) > thresholdS) return true;
  return next.greensS.some((greenS, i) => Math.abs(greenS - running.greensS[i]!) > thresholdS);
}
