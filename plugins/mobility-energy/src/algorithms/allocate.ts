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
 *   least laxity, then input order): each is given the constant rate that completes its energy just at departure
 *   (at least its minimum, at most its maximum), if the grid can give it; otherwise what is left.
 * - The class's other sessions are then admitted at their minimum, in arrival order (then input order); one whose
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
 * Runs in O(n log n) for n sessions (`pnpm bench --only charging` times 10,000 over 200 feeders).
 */
export function allocateCharging(limits: GridLimits, demands: readonly ChargingDemand[], nowMs: number): ChargingPlan {
  const grid = indexGrid(limits);
  const n = demands.length;
  const feeders = limits.feeders.length;
  const transformers = limits.transformers.length;
  const feederOf = new Int32Array(n);
  const transformerOf = new Int32Array(n);
  const rankOf = new Int8Array(n);
  const floor = new Float64Array(n);
  const cap = new Float64Array(n);
  const minimum = new Float64Array(n);
  const rate = new Float64Array(n); // deadline rate, 0 when none
  const kw = new Float64Array(n);
  const paused = new Uint8Array(n);
  const feederLeft = Float64Array.from(limits.feeders, (feeder) => feeder.capKw);
  const transformerLeft = Float64Array.from(limits.transformers, (transformer) => transformer.capKw);
  // Sort keys: departure and laxity for deadlines (EDF, ties by least laxity), arrival otherwise.
  const firstKey = new Float64Array(n);
  const secondKey = new Float64Array(n);
  const withDeadline: number[] = [];
  const without: number[] = [];

  const take = (i: number, amount: number): void => {
    feederLeft[feederOf[i]!]! -= amount;
    const t = transformerOf[i]!;
    if (t >= 0) transformerLeft[t]! -= amount;
  };
  const available = (i: number): number => {
    const t = transformerOf[i]!;
    const onFeeder = feederLeft[feederOf[i]!]!;
    return Math.max(0, t < 0 ? onFeeder : Math.min(onFeeder, transformerLeft[t]!));
  };

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
    minimum[i] = demand.minKw;
    if (demand.pinnedKw !== undefined) {
      // Drawn whatever we decide: it comes off the top, even if it overloads the feeder.
      kw[i] = demand.pinnedKw;
      take(i, demand.pinnedKw);
      rankOf[i] = -1;
      continue;
    }
    const rank = CLASS_RANK.get(demand.class);
    if (rank === undefined) throw new EnergyInputError(`demands[${i}].class`, `unknown priority class ${JSON.stringify(demand.class)}`);
    rankOf[i] = rank;
    const deadline = demand.deadline;
    if (deadline !== undefined && deadline.energyKwh > 0 && deadline.departAtMs > nowMs) {
      const hours = (deadline.departAtMs - nowMs) / MS_PER_HOUR;
      rate[i] = deadline.energyKwh / hours;
      firstKey[i] = deadline.departAtMs;
      secondKey[i] = hours - deadline.energyKwh / Math.max(demand.maxKw, KW_EPSILON); // laxity, hours
      withDeadline.push(i);
    } else {
      firstKey[i] = demand.arrivedAtMs;
      without.push(i);
    }
  }
  // One sort for all classes; each class then takes its members in this order. Ties: input order.
  const byKeys = (a: number, b: number) => firstKey[a]! - firstKey[b]! || secondKey[a]! - secondKey[b]! || a - b;
  withDeadline.sort(byKeys);
  without.sort(byKeys);

  const admitted = new Int32Array(n);
  let admittedCount = 0;
  const admitOrPause = (i: number, amount: number, admit: boolean): void => {
    if (!admit || cap[i]! <= 0) {
      paused[i] = 1;
      return;
    }
    floor[i] = amount;
    kw[i] = amount;
    take(i, amount);
    admitted[admittedCount++] = i;
  };

  const scratch = new LevelScratch(64);
  const byFeeder = new Grouping(feeders, n);
  const byTransformer = new Grouping(transformers, n);
  for (let rank = 0; rank < CLASS_RANK.size; rank++) {
    admittedCount = 0;
    for (const i of withDeadline) {
      if (rankOf[i] !== rank) continue;
      const wanted = Math.min(Math.max(rate[i]!, minimum[i]!), cap[i]!);
      const room = available(i);
      const granted = room >= wanted - KW_EPSILON ? wanted : room >= minimum[i]! - KW_EPSILON ? Math.max(room, minimum[i]!) : 0;
      admitOrPause(i, granted, granted > 0 || minimum[i] === 0);
    }
    for (const i of without) {
      if (rankOf[i] !== rank) continue;
      admitOrPause(i, minimum[i]!, available(i) >= minimum[i]! - KW_EPSILON);
    }
    if (admittedCount > 0) shareFairly(admitted.subarray(0, admittedCount));
  }

  /** Water filling over the admitted sessions of one class: per feeder, then per transformer. */
  function shareFairly(sessions: Int32Array): void {
    byFeeder.group(sessions, feederOf);
    for (let f = 0; f < feeders; f++) {
      const members = byFeeder.members(f);
      if (members.length === 0) continue;
      let floors = 0;
      for (let k = 0; k < members.length; k++) floors += floor[members[k]!]!;
      const level = waterLevel(floor, cap, members, Math.max(0, feederLeft[f]!) + floors, scratch);
      for (let k = 0; k < members.length; k++) {
        const i = members[k]!;
        kw[i] = shareAt(level, floor[i]!, cap[i]!);
      }
    }
    if (transformers > 0) {
      byTransformer.group(sessions, transformerOf);
      for (let t = 0; t < transformers; t++) {
        const members = byTransformer.members(t);
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
    }
    for (let k = 0; k < sessions.length; k++) {
      const i = sessions[k]!;
      take(i, kw[i]! - floor[i]!);
    }
  }

  const atRisk: DeadlineRisk[] = [];
  for (const i of withDeadline) {
    const demand = demands[i]!;
    const { departAtMs, energyKwh } = demand.deadline!;
    const hours = (departAtMs - nowMs) / MS_PER_HOUR;
    const reason = rate[i]! > demand.maxKw + KW_EPSILON ? 'charger-max' : kw[i]! < rate[i]! - KW_EPSILON ? 'capacity' : undefined;
    if (reason !== undefined) atRisk.push({ index: i, departAtMs, neededKwh: energyKwh, shortfallKwh: Math.max(0, energyKwh - kw[i]! * hours), reason });
  }
  atRisk.sort((a, b) => a.index - b.index);

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

/** Sessions grouped by feeder or transformer with a counting sort, O(n + groups), in reused buffers. */
class Grouping {
  private readonly start: Int32Array;
  private readonly fill: Int32Array;
  private readonly order: Int32Array;

  constructor(
    private readonly groups: number,
    capacity: number,
  ) {
    this.start = new Int32Array(groups + 1);
    this.fill = new Int32Array(groups);
    this.order = new Int32Array(capacity);
  }

  /** Groups `sessions` by `groupOf` (sessions of group -1 are left out). */
  group(sessions: Int32Array, groupOf: Int32Array): void {
    const { start, fill, order, groups } = this;
    start.fill(0);
    for (let k = 0; k < sessions.length; k++) {
      const g = groupOf[sessions[k]!]!;
      if (g >= 0) start[g + 1]!++;
    }
    for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
    fill.set(start.subarray(0, groups));
    for (let k = 0; k < sessions.length; k++) {
      const i = sessions[k]!;
      const g = groupOf[i]!;
      if (g >= 0) order[fill[g]!++] = i;
    }
  }

  members(group: number): Int32Array {
    return this.order.subarray(this.start[group]!, this.start[group + 1]!);
  }
}
