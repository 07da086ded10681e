import { energy } from '@polis/contracts';
import { EnergyInputError } from './errors.js';
import { LevelScratch, shareAt, waterLevel } from './water-level.js';

const MS_PER_HOUR = 3_600_000;
/** Below this a difference in kW is rounding, not a decision (a milliwatt). */
export const KW_EPSILON = 1e-6;

/** A feeder and the capacity in force on it (its limit, lowered during demand response). */
export interface FeederLimit {
  readonly id: string;
  readonly capKw: number;
  /** The transformer the feeder hangs from, if its capacity is shared with other feeders. */
  readonly transformerId?: string | undefined;
}

export interface TransformerLimit {
  readonly id: string;
  readonly capKw: number;
}

/** The grid the chargers hang on: feeders, and transformers above several feeders. */
export interface GridLimits {
  readonly feeders: readonly FeederLimit[];
  readonly transformers: readonly TransformerLimit[];
}

/** What one charging session asks of the grid this cycle. */
export interface ChargingDemand {
  readonly id: string;
  readonly feederId: string;
  readonly class: energy.PriorityClass;
  /** The least power the charger and vehicle can charge at (IEC 61851: 6 A); below it the session pauses. */
  readonly minKw: number;
  /** The most the charger, the vehicle and the cable allow. */
  readonly maxKw: number;
  /** Admission order within a class when not every minimum fits: first come, first admitted. */
  readonly arrivedAtMs: number;
  /** A departure time and the energy still needed by then. */
  readonly deadline?: { readonly departAtMs: number; readonly energyKwh: number } | undefined;
  /** The session draws this whatever the plan says: a charger out of reach holds its last limit. */
  readonly pinnedKw?: number | undefined;
}

/** A deadline the plan cannot meet at the capacity available now, and by how much. */
export interface DeadlineRisk {
  /** Index of the demand in the input. */
  readonly index: number;
  readonly departAtMs: number;
  readonly neededKwh: number;
  /** Short at departure if the session kept its power until then. */
  readonly shortfallKwh: number;
  /** `charger-max`: even its maximum is too slow; `capacity`: the grid cannot give it the rate now. */
  readonly reason: 'charger-max' | 'capacity';
}

/** The allocation: power per demand (aligned with the input), and what it adds up to. */
export interface ChargingPlan {
  readonly kw: Float64Array;
  /** 1 where the session's minimum did not fit (or it may not charge): its limit is 0. */
  readonly paused: Uint8Array;
  readonly atRisk: readonly DeadlineRisk[];
  /** Allocated load per feeder, aligned with `limits.feeders`. */
  readonly feederKw: Float64Array;
  /** Allocated load per transformer, aligned with `limits.transformers`. */
  readonly transformerKw: Float64Array;
}

/**
 * Allocates power to charging sessions under feeder and transformer limits.
 *
 * - Pinned sessions (chargers out of reach) are charged against their feeder first.
 * - Classes are served strictly in order: emergency, transit, taxi, private. A class only gets
 *   what the classes above it left on every feeder and transformer it shares with them.
 * - Within a class, sessions with a deadline come first, earliest departure first (EDF; ties by
 *   least laxity): each is given the constant rate that completes its energy just at departure
 *   (at least its minimum, at most its maximum), if the grid can give it; otherwise what is left.
 * - The class's other sessions are then admitted at their minimum, in arrival order; one whose
 *   minimum no longer fits is paused (limit 0), since a charger cannot run below it.
 * - What is left is shared max-min fairly among the admitted sessions of the class, each from its
 *   floor (its minimum, or its deadline rate) up to its maximum: water filling on each feeder,
 *   then on each transformer with every session capped by its feeder's share. On a two-level
 *   tree this is the max-min fair allocation (the bottleneck of a session is its feeder or its
 *   transformer, whichever fills first).
 * - A deadline is at risk when its rate exceeds the charger's maximum, or when the session ends
 *   the cycle below that rate. Rates are recomputed every cycle from the energy still needed, so
 *   a session that got more earlier needs less later.
 *
 * Runs in O(n log n) for n sessions: 10,000 sessions over 200 feeders take a few milliseconds.
 */
export function allocateCharging(limits: GridLimits, demands: readonly ChargingDemand[], nowMs: number): ChargingPlan {
  const grid = indexGrid(limits);
  const n = demands.length;
  const feederOf = new Int32Array(n);
  const transformerOf = new Int32Array(n);
  const floor = new Float64Array(n);
  const cap = new Float64Array(n);
  const rate = new Float64Array(n); // deadline rate, 0 when none
  const kw = new Float64Array(n);
  const paused = new Uint8Array(n);
  const feederLeft = Float64Array.from(limits.feeders, (feeder) => feeder.capKw);
  const transformerLeft = Float64Array.from(limits.transformers, (transformer) => transformer.capKw);
  const byClass: number[][] = energy.PRIORITY_CLASSES.map(() => []);

  for (let i = 0; i < n; i++) {
    const demand = demands[i]!;
    const f = grid.feeders.get(demand.feederId);
    if (f === undefined) throw new EnergyInputError(`demands[${i}].feederId`, `unknown feeder ${JSON.stringify(demand.feederId)}`);
    if (!(demand.minKw >= 0) || !(demand.maxKw >= demand.minKw) || !Number.isFinite(demand.maxKw)) {
      throw new EnergyInputError(`demands[${i}]`, `needs 0 <= minKw <= maxKw, finite; got minKw ${demand.minKw}, maxKw ${demand.maxKw}`);
    }
    feederOf[i] = f;
    transformerOf[i] = grid.transformerOfFeeder[f]!;
    cap[i] = demand.maxKw;
    if (demand.pinnedKw !== undefined) {
      // Drawn whatever we decide: it comes off the top, even if it overloads the feeder.
      kw[i] = demand.pinnedKw;
      take(i, demand.pinnedKw);
      continue;
    }
    const rank = CLASS_RANK.get(demand.class);
    if (rank === undefined) throw new EnergyInputError(`demands[${i}].class`, `unknown priority class ${JSON.stringify(demand.class)}`);
    byClass[rank]!.push(i);
    const deadline = demand.deadline;
    if (deadline !== undefined && deadline.energyKwh > 0 && deadline.departAtMs > nowMs) {
      rate[i] = deadline.energyKwh / ((deadline.departAtMs - nowMs) / MS_PER_HOUR);
    }
  }

  function available(i: number): number {
    const t = transformerOf[i]!;
    const onFeeder = feederLeft[feederOf[i]!]!;
    return Math.max(0, t < 0 ? onFeeder : Math.min(onFeeder, transformerLeft[t]!));
  }
  function take(i: number, amount: number): void {
    feederLeft[feederOf[i]!]! -= amount;
    const t = transformerOf[i]!;
    if (t >= 0) transformerLeft[t]! -= amount;
  }

  const scratch = new LevelScratch(64);
  const admitted: number[] = [];
  for (const members of byClass) {
    admitted.length = 0;
    const withDeadline = members.filter((i) => rate[i]! > 0);
    const without = members.filter((i) => rate[i]! === 0);
    // EDF, ties by least laxity (slack left if charged at full power), then id for determinism.
    withDeadline.sort((a, b) => demands[a]!.deadline!.departAtMs - demands[b]!.deadline!.departAtMs || laxityH(a) - laxityH(b) || compareIds(a, b));
    for (const i of withDeadline) {
      const demand = demands[i]!;
      const wanted = Math.min(Math.max(rate[i]!, demand.minKw), demand.maxKw);
      const room = available(i);
      const granted = room >= wanted - KW_EPSILON ? wanted : room >= demand.minKw - KW_EPSILON ? Math.max(room, demand.minKw) : 0;
      admitOrPause(i, granted, granted > 0 || demand.minKw === 0);
    }
    without.sort((a, b) => demands[a]!.arrivedAtMs - demands[b]!.arrivedAtMs || compareIds(a, b));
    for (const i of without) {
      const minimum = demands[i]!.minKw;
      admitOrPause(i, minimum, available(i) >= minimum - KW_EPSILON);
    }
    shareFairly(admitted);
  }

  function admitOrPause(i: number, amount: number, admit: boolean): void {
    if (!admit || cap[i]! <= 0) {
      paused[i] = 1;
      return;
    }
    floor[i] = amount;
    kw[i] = amount;
    take(i, amount);
    admitted.push(i);
  }

  function laxityH(i: number): number {
    const demand = demands[i]!;
    return (demand.deadline!.departAtMs - nowMs) / MS_PER_HOUR - demand.deadline!.energyKwh / Math.max(demand.maxKw, KW_EPSILON);
  }
  function compareIds(a: number, b: number): number {
    const x = demands[a]!.id;
    const y = demands[b]!.id;
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /** Water filling over the admitted sessions of one class: per feeder, then per transformer. */
  function shareFairly(sessions: readonly number[]): void {
    if (sessions.length === 0) return;
    const onFeeder = groupBy(sessions, feederOf, limits.feeders.length);
    for (let f = 0; f < limits.feeders.length; f++) {
      const members = onFeeder.members(f);
      if (members.length === 0) continue;
      let floors = 0;
      for (let k = 0; k < members.length; k++) floors += floor[members[k]!]!;
      const level = waterLevel(floor, cap, members, Math.max(0, feederLeft[f]!) + floors, scratch);
      for (let k = 0; k < members.length; k++) {
        const i = members[k]!;
        kw[i] = shareAt(level, floor[i]!, cap[i]!);
      }
    }
    const underTransformer = groupBy(
      sessions.filter((i) => transformerOf[i]! >= 0),
      transformerOf,
      limits.transformers.length,
    );
    for (let t = 0; t < limits.transformers.length; t++) {
      const members = underTransformer.members(t);
      if (members.length === 0) continue;
      let floors = 0;
      let wanted = 0;
      for (let k = 0; k < members.length; k++) {
        floors += floor[members[k]!]!;
        wanted += kw[members[k]!]!;
      }
      const capacity = Math.max(0, transformerLeft[t]!) + floors;
      if (wanted <= capacity) continue;
      // Each session capped by its feeder's share: the transformer can only lower it.
      const level = waterLevel(floor, kw, members, capacity, scratch);
      for (let k = 0; k < members.length; k++) {
        const i = members[k]!;
        kw[i] = shareAt(level, floor[i]!, kw[i]!);
      }
    }
    for (const i of sessions) take(i, kw[i]! - floor[i]!);
  }

  const atRisk: DeadlineRisk[] = [];
  for (let i = 0; i < n; i++) {
    if (rate[i]! === 0) continue;
    const demand = demands[i]!;
    const { departAtMs, energyKwh } = demand.deadline!;
    const hours = (departAtMs - nowMs) / MS_PER_HOUR;
    const reason = rate[i]! > demand.maxKw + KW_EPSILON ? 'charger-max' : kw[i]! < rate[i]! - KW_EPSILON ? 'capacity' : undefined;
    if (reason !== undefined) atRisk.push({ index: i, departAtMs, neededKwh: energyKwh, shortfallKwh: Math.max(0, energyKwh - kw[i]! * hours), reason });
  }

  const feederKw = Float64Array.from(limits.feeders, (feeder, f) => feeder.capKw - feederLeft[f]!);
  const transformerKw = Float64Array.from(limits.transformers, (transformer, t) => transformer.capKw - transformerLeft[t]!);
  return { kw, paused, atRisk, feederKw, transformerKw };
}

const CLASS_RANK = new Map(energy.PRIORITY_CLASSES.map((name, rank) => [name, rank]));

interface GridIndex {
  readonly feeders: ReadonlyMap<string, number>;
  /** Transformer index of each feeder, -1 when it has none. */
  readonly transformerOfFeeder: Int32Array;
}

function indexGrid(limits: GridLimits): GridIndex {
  const transformers = new Map<string, number>();
  limits.transformers.forEach((transformer, t) => {
    if (!(transformer.capKw >= 0)) throw new EnergyInputError(`transformers[${t}].capKw`, `must be a number >= 0, got ${transformer.capKw}`);
    if (transformers.has(transformer.id)) throw new EnergyInputError(`transformers[${t}].id`, `duplicate transformer ${JSON.stringify(transformer.id)}`);
    transformers.set(transformer.id, t);
  });
  const feeders = new Map<string, number>();
  const transformerOfFeeder = new Int32Array(limits.feeders.length);
  limits.feeders.forEach((feeder, f) => {
    if (!(feeder.capKw >= 0)) throw new EnergyInputError(`feeders[${f}].capKw`, `must be a number >= 0, got ${feeder.capKw}`);
    if (feeders.has(feeder.id)) throw new EnergyInputError(`feeders[${f}].id`, `duplicate feeder ${JSON.stringify(feeder.id)}`);
    feeders.set(feeder.id, f);
    const t = feeder.transformerId === undefined ? -1 : transformers.get(feeder.transformerId);
    if (t === undefined) throw new EnergyInputError(`feeders[${f}].transformerId`, `unknown transformer ${JSON.stringify(feeder.transformerId)}`);
    transformerOfFeeder[f] = t;
  });
  return { feeders, transformerOfFeeder };
}

/** Sessions grouped by an index (feeder or transformer) with a counting sort: O(n + groups). */
function groupBy(sessions: readonly number[], groupOf: Int32Array, groups: number): { members(group: number): Int32Array } {
  const start = new Int32Array(groups + 1);
  for (const i of sessions) start[groupOf[i]! + 1]!++;
  for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
  const fill = start.slice(0, groups);
  const order = new Int32Array(sessions.length);
  for (const i of sessions) order[fill[groupOf[i]!]!++] = i;
  return { members: (group) => order.subarray(start[group]!, start[group + 1]!) };
}
