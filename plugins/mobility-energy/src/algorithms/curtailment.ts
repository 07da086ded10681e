import { energy } from '@polis/contracts';
import { KW_EPSILON } from './allocate.js';
import { EnergyInputError } from './errors.js';

/** A session's load when a demand-response event starts. */
export interface LoadAtStart {
  readonly feederId: string;
  readonly class: energy.PriorityClass;
  readonly kw: number;
  /** For the emergency fleet: the power its missions need, which curtailment never takes. */
  readonly missionNeedKw: number;
}

export type KwByClass = Record<energy.PriorityClass, number>;

/** How to meet a reduction: a capacity cap per targeted feeder, and what it takes from each class. */
export interface CurtailmentPlan {
  /** Allocated load on the targeted feeders at the start. */
  readonly baselineKw: number;
  /** Cap to hold each targeted feeder at during the event (its load at the start less its share of the cut). */
  readonly capKw: ReadonlyMap<string, number>;
  readonly cutByClass: KwByClass;
  /** The emergency fleet's mission need on the targeted feeders, out of the curtailment's reach. */
  readonly protectedEmergencyKw: number;
  /** What the plan reduces: the request, or less when only the emergency need is left. */
  readonly plannedKw: number;
}

/** Lowest priority first: private cars, taxis, transit, and the emergency fleet above its mission need. */
const CURTAILMENT_ORDER = [...energy.PRIORITY_CLASSES].reverse();

/**
 * Plans a demand-response reduction over the targeted feeders: the lowest class gives up load
 * first, across all targeted feeders, in proportion to what it draws on each; the next class only
 * once the one below has nothing left; the emergency fleet only above what its missions need.
 * Each feeder's cap is its load at the start less its share of the cut: the allocator, which
 * serves classes in priority order, then takes the cut from the lowest classes on that feeder.
 */
export function planCurtailment(feederIds: readonly string[], loads: readonly LoadAtStart[], reductionKw: number): CurtailmentPlan {
  if (!(reductionKw >= 0) || !Number.isFinite(reductionKw)) throw new EnergyInputError('reductionKw', `must be a finite number >= 0, got ${reductionKw}`);
  const targeted = new Set(feederIds);
  const baseline = new Map(feederIds.map((id) => [id, 0]));
  // What each class could give up on each feeder.
  const giveable = new Map(CURTAILMENT_ORDER.map((cls) => [cls, new Map<string, number>()]));
  let protectedEmergencyKw = 0;
  for (const load of loads) {
    if (!targeted.has(load.feederId)) continue;
    baseline.set(load.feederId, baseline.get(load.feederId)! + load.kw);
    const kept = load.class === 'emergency' ? Math.min(load.kw, load.missionNeedKw) : 0;
    protectedEmergencyKw += kept;
    const byFeeder = giveable.get(load.class)!;
    byFeeder.set(load.feederId, (byFeeder.get(load.feederId) ?? 0) + load.kw - kept);
  }
  const cut = new Map(feederIds.map((id) => [id, 0]));
  const cutByClass: KwByClass = { emergency: 0, transit: 0, taxi: 0, private: 0 };
  let remaining = reductionKw;
  for (const cls of CURTAILMENT_ORDER) {
    if (remaining <= KW_EPSILON) break;
    const byFeeder = giveable.get(cls)!;
    const total = [...byFeeder.values()].reduce((sum, kw) => sum + kw, 0);
    if (total <= KW_EPSILON) continue;
    const share = Math.min(1, remaining / total);
    for (const [feederId, kw] of byFeeder) cut.set(feederId, cut.get(feederId)! + kw * share);
    cutByClass[cls] = total * share;
    remaining -= total * share;
  }
  const capKw = new Map(feederIds.map((id) => [id, Math.max(0, baseline.get(id)! - cut.get(id)!)]));
  const baselineKw = [...baseline.values()].reduce((sum, kw) => sum + kw, 0);
  return { baselineKw, capKw, cutByClass, protectedEmergencyKw, plannedKw: reductionKw - Math.max(0, remaining) };
}

/**
 * A feeder's cap while capacity is restored after an event: from the event's cap up to the full
 * limit in a straight line over `rampMs`, so deferred charging comes back gradually instead of
 * all at once (the rebound peak a step restoration would cause).
 */
export function rampedCapKw(eventCapKw: number, limitKw: number, sinceEndMs: number, rampMs: number): number {
  if (sinceEndMs >= rampMs || rampMs <= 0) return limitKw;
  if (sinceEndMs <= 0) return Math.min(eventCapKw, limitKw);
  return Math.min(limitKw, eventCapKw + (limitKw - eventCapKw) * (sinceEndMs / rampMs));
}
