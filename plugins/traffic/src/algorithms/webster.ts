import { TrafficInputError } from './errors.js';
import { requireNumber } from './number-checks.js';
import { DEFAULT_SATURATION_FLOW_VPH_PER_LANE, type PhaseSpec } from './road-network.js';

/** Start-up lost time l1 per phase, seconds: the usual textbook (and HCM) default. */
export const DEFAULT_STARTUP_LOST_TIME_S = 2;
/** Extension of effective green into the yellow, e, seconds: the usual textbook (and HCM) default. */
export const DEFAULT_GREEN_EXTENSION_S = 2;
/**
 * Webster's formula needs Y < 1 and explodes as Y approaches it; from this Y on, the
 * intersection is treated as over capacity and runs its longest cycle.
 */
export const OVER_CAPACITY_Y = 0.95;

/** A phase's timing constraints (as in {@link PhaseSpec}) and its measured demand. */
export interface WebsterPhaseInput extends Pick<PhaseSpec, 'id' | 'minGreenS' | 'yellowS' | 'allRedS' | 'saturationFlowVphPerLane'> {
  /** Measured flow on each lane the phase serves, veh/h. The busiest lane is critical; none means no demand. */
  readonly laneFlowsVph: readonly number[];
}

export interface WebsterInput {
  readonly phases: readonly WebsterPhaseInput[];
  readonly minCycleS: number;
  readonly maxCycleS: number;
  /** l1, defaults to {@link DEFAULT_STARTUP_LOST_TIME_S}. */
  readonly startupLostTimeS?: number;
  /** e, defaults to {@link DEFAULT_GREEN_EXTENSION_S}. */
  readonly greenExtensionS?: number;
}

/** A signal timing plan. Per-phase arrays follow the order of the input phases. */
export interface WebsterTiming {
  readonly cycleS: number;
  /** Total lost time L per cycle. */
  readonly lostTimeS: number;
  /** Critical flow ratio y = q / s of each phase. */
  readonly flowRatios: readonly number[];
  /** Sum of the critical flow ratios. */
  readonly Y: number;
  /** Effective green g of each phase; they add up to cycleS - lostTimeS. */
  readonly effectiveGreensS: readonly number[];
  /** Displayed green G = g + l1 - e of each phase, never below its min green. */
  readonly greensS: readonly number[];
  /** Y >= {@link OVER_CAPACITY_Y}: demand cannot be served, the cycle is the longest allowed. */
  readonly overCapacity: boolean;
  /**
   * False when min greens and clearances alone exceed maxCycleS. Min greens are a safety floor
   * (pedestrians), so they are kept, and cycleS then exceeds maxCycleS.
   */
  readonly minGreensFit: boolean;
}

/**
 * Webster's method: optimal cycle C0 = (1.5 L + 5) / (1 - Y), clamped to [minCycleS,
 * maxCycleS] (maxCycleS when over capacity) and lengthened if min greens need more; effective
 * green C - L shared in proportion to each phase's y, with any phase short of its min green
 * raised to it at the expense of the others, in proportion to their y.
 *
 * Lost time follows the textbook (Roess, Prassas & McShane; HCM) convention: per phase
 * t_L = l1 + (yellow + all-red - e), start-up lost time plus the part of the clearance not used
 * as effective green. With the defaults l1 = e = 2 s this is yellow + all-red, and displayed
 * green equals effective green.
 *
 * @throws {TrafficInputError} for missing phases, negative or non-finite flows and timings, or
 * a phase whose lost time comes out negative.
 */
export function websterTiming(input: WebsterInput): WebsterTiming {
  const { startupLostTimeS = DEFAULT_STARTUP_LOST_TIME_S, greenExtensionS = DEFAULT_GREEN_EXTENSION_S } = input;
  validate(input, startupLostTimeS, greenExtensionS);
  const { phases, minCycleS, maxCycleS } = input;

  const flowRatios = phases.map((phase) => Math.max(0, ...phase.laneFlowsVph) / (phase.saturationFlowVphPerLane ?? DEFAULT_SATURATION_FLOW_VPH_PER_LANE));
  const Y = sum(flowRatios);
  const lostTimeS = sum(phases.map((phase) => phaseLostTimeS(phase, startupLostTimeS, greenExtensionS)));
  const overCapacity = Y >= OVER_CAPACITY_Y;
  const websterCycleS = overCapacity ? maxCycleS : clamp((1.5 * lostTimeS + 5) / (1 - Y), minCycleS, maxCycleS);

  // Effective green is displayed green - l1 + e, so min greens translate one for one.
  const minEffectiveGreensS = phases.map((phase) => phase.minGreenS - startupLostTimeS + greenExtensionS);
  const minGreensCycleS = sum(phases.map((phase) => phase.minGreenS + phase.yellowS + phase.allRedS));
  const cycleS = Math.max(websterCycleS, minGreensCycleS);
  const effectiveGreensS = splitGreen(cycleS - lostTimeS, flowRatios, minEffectiveGreensS);
  return {
    cycleS,
    lostTimeS,
    flowRatios,
    Y,
    effectiveGreensS,
    greensS: effectiveGreensS.map((g) => g + startupLostTimeS - greenExtensionS),
    overCapacity,
    minGreensFit: minGreensCycleS <= maxCycleS,
  };
}

function phaseLostTimeS(phase: WebsterPhaseInput, startupLostTimeS: number, greenExtensionS: number): number {
  return startupLostTimeS + phase.yellowS + phase.allRedS - greenExtensionS;
}

/**
 * Shares `totalS` in proportion to `ratios` (equally when all are zero), then pins every share
 * below its minimum to that minimum and re-shares what is left among the rest, until none is
 * short. Each round pins at least one phase, so it ends; `totalS` covers the minima.
 */
function splitGreen(totalS: number, ratios: readonly number[], minimaS: readonly number[]): number[] {
  const pinned = new Set<number>();
  for (;;) {
    const free = ratios.map((_, i) => i).filter((i) => !pinned.has(i));
    const freeS = totalS - sum([...pinned].map((i) => minimaS[i]!));
    const freeRatio = sum(free.map((i) => ratios[i]!));
    const shares = ratios.map((ratio, i) => {
      if (pinned.has(i)) return minimaS[i]!;
      return freeRatio > 0 ? (freeS * ratio) / freeRatio : freeS / free.length;
    });
    const short = free.filter((i) => shares[i]! < minimaS[i]!);
    if (short.length === 0) return shares;
    for (const i of short) pinned.add(i);
  }
}

function validate(input: WebsterInput, startupLostTimeS: number, greenExtensionS: number): void {
  if (!Array.isArray(input.phases) || input.phases.length === 0) throw new TrafficInputError('phases', 'must be a non-empty array of phases');
  requireNumber(input.minCycleS, 'minCycleS', { above: 0 });
  requireNumber(input.maxCycleS, 'maxCycleS', { min: input.minCycleS });
  requireNumber(startupLostTimeS, 'startupLostTimeS', { min: 0 });
  requireNumber(greenExtensionS, 'greenExtensionS', { min: 0 });
  input.phases.forEach((phase, i) => {
    const path = `phases[${i}]`;
    if (!Array.isArray(phase.laneFlowsVph)) throw new TrafficInputError(`${path}.laneFlowsVph`, 'must be an array of per-lane flows');
    phase.laneFlowsVph.forEach((flowVph: number, lane: number) => requireNumber(flowVph, `${path}.laneFlowsVph[${lane}]`, { min: 0 }));
    if (phase.saturationFlowVphPerLane !== undefined) requireNumber(phase.saturationFlowVphPerLane, `${path}.saturationFlowVphPerLane`, { above: 0 });
    requireNumber(phase.minGreenS, `${path}.minGreenS`, { min: 0 });
    requireNumber(phase.yellowS, `${path}.yellowS`, { min: 0 });
    requireNumber(phase.allRedS, `${path}.allRedS`, { min: 0 });
    if (phaseLostTimeS(phase, startupLostTimeS, greenExtensionS) < 0) {
      throw new TrafficInputError(path, `lost time startupLostTimeS + yellowS + allRedS - greenExtensionS is negative (${startupLostTimeS} + ${phase.yellowS} + ${phase.allRedS} - ${greenExtensionS})`);
    }
  });
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
