import type { IntersectionSpec, PhaseSpec } from './algorithms/road-network.js';
import { websterTiming } from './algorithms/webster.js';

/** A fixed-time plan for one intersection: one cycle of greens, each followed by its clearances. */
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
 * Webster's plan for an intersection from its phases' measured lane flows. Displayed greens
 * plus every phase's yellow and all-red add up to the cycle, so the plan can be run as is.
 *
 * @throws {TrafficInputError} when the lost-time parameters make a phase's lost time negative.
 */
export function planSignal(
  intersection: IntersectionSpec,
  laneFlowsVph: (phase: PhaseSpec) => readonly number[],
  options: SignalTimingOptions,
): SignalPlan {
  const timing = websterTiming({
    phases: intersection.phases.map((phase) => ({ ...phase, laneFlowsVph: laneFlowsVph(phase) })),
    minCycleS: intersection.minCycleS,
    maxCycleS: intersection.maxCycleS,
    startupLostTimeS: options.startupLostTimeS,
    greenExtensionS: options.greenExtensionS,
  });
  return { cycleS: timing.cycleS, greensS: timing.greensS, flowRatioSum: timing.Y, overCapacity: timing.overCapacity };
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
