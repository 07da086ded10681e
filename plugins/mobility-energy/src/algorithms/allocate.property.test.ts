import { energy } from '@polis/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KW_EPSILON, allocateCharging } from './allocate.js';
import type { ChargingDemand, ChargingPlan, GridLimits } from './allocate.js';
import { gridOf, kw, minimum, sometimes } from './test-arbitraries.js';

// Properties of the allocator over random fleets and grids. POLIS_PROPERTY_RUNS scales the run
// (the suite runs 1,000 cases per property; `pnpm --filter @polis/plugin-mobility-energy
// test:properties` runs 100,000).
const RUNS = Number(process.env.POLIS_PROPERTY_RUNS ?? 1000);
const NOW = Date.UTC(2026, 6, 1, 14);
const HOUR = 3_600_000;
/** Tolerance of a sum of many doubles: a few epsilons per session. */
const TOLERANCE = 1e-5;

interface Case {
  readonly limits: GridLimits;
  readonly demands: ChargingDemand[];
}

interface FleetShape {
  readonly maxFeeders: number;
  readonly classes: readonly energy.PriorityClass[];
  /** Share of sessions with a departure deadline. */
  readonly deadlines: number;
}

/** Random grids (feeders, some under transformers) and the sessions charging on them. */
function fleetOf(shape: FleetShape): fc.Arbitrary<Case> {
  return gridOf(shape.maxFeeders).chain((limits) => {
    const demand = fc.record({
      feeder: fc.nat(limits.feeders.length - 1),
      cls: fc.constantFrom(...shape.classes),
      min: minimum,
      extra: kw(150),
      arrivedAtMs: fc.integer({ min: NOW - 8 * HOUR, max: NOW }),
      deadline: sometimes(fc.record({ inH: fc.integer({ min: 1, max: 720 }).map((minutes) => minutes / 60), energyKwh: fc.integer({ min: 1, max: 2500 }).map((tenths) => tenths / 10) }), shape.deadlines),
      pinned: sometimes(kw(40), 1 / 15),
    });
    return fc.array(demand, { maxLength: 80, size: 'medium' }).map((raw) => ({
      limits,
      demands: raw.map((d, i) => ({
        id: `s${i}`,
        feederId: `f${d.feeder}`,
        class: d.cls,
        minKw: d.min,
        maxKw: d.min + d.extra,
        arrivedAtMs: d.arrivedAtMs,
        deadline: d.deadline === undefined ? undefined : { departAtMs: NOW + d.deadline.inH * HOUR, energyKwh: d.deadline.energyKwh },
        pinnedKw: d.pinned,
      })),
    }));
  });
}

/** Mixed fleets on up to eight feeders. */
const fleet = fleetOf({ maxFeeders: 8, classes: energy.PRIORITY_CLASSES, deadlines: 1 / 3 });
/** A depot: few feeders, one class, most sessions leaving at a set time. */
const depot = fleetOf({ maxFeeders: 2, classes: ['transit'], deadlines: 0.8 });

const rankOf = (cls: energy.PriorityClass) => energy.PRIORITY_CLASSES.indexOf(cls);

interface Constraint {
  readonly id: string;
  readonly capKw: number;
  /** Indices of the sessions drawing through it. */
  readonly members: readonly number[];
  /** Power used by pinned sessions and those of rank <= r, for each rank r. */
  readonly usedUpToRank: Float64Array;
}

/** A case and its plan, indexed for the checks: each constraint's members and what each rank uses of it. */
class Checked {
  readonly constraints: Constraint[] = [];
  /** Per session, the indices of its constraints (its feeder, then its transformer). */
  readonly pathOf: number[][];

  constructor(
    readonly c: Case,
    readonly plan: ChargingPlan,
  ) {
    const { feeders, transformers } = c.limits;
    const feederAt = new Map(feeders.map((f, i) => [f.id, i]));
    const transformerAt = new Map(transformers.map((t, i) => [t.id, feeders.length + i]));
    for (const { id, capKw } of [...feeders, ...transformers]) this.constraints.push({ id, capKw, members: [], usedUpToRank: new Float64Array(energy.PRIORITY_CLASSES.length) });
    this.pathOf = c.demands.map((d, i) => {
      const f = feederAt.get(d.feederId)!;
      const t = feeders[f]!.transformerId;
      const path = t === undefined ? [f] : [f, transformerAt.get(t)!];
      for (const k of path) {
        (this.constraints[k]!.members as number[]).push(i);
        const used = this.constraints[k]!.usedUpToRank;
        for (let r = d.pinnedKw !== undefined ? 0 : rankOf(d.class); r < used.length; r++) used[r]! += plan.kw[i]!;
      }
      return path;
    });
  }

  /** Capacity constraint `k` has left after the pinned sessions and those of rank <= `rank`. */
  leftAfter(k: number, rank: number): number {
    const constraint = this.constraints[k]!;
    return constraint.capKw - constraint.usedUpToRank[rank]!;
  }
}

const rateOf = (demand: ChargingDemand) => (demand.deadline === undefined ? 0 : demand.deadline.energyKwh / ((demand.deadline.departAtMs - NOW) / HOUR));

function check(property: (c: Case, plan: ChargingPlan, view: Checked) => void, cases: fc.Arbitrary<Case> = fleet): void {
  fc.assert(
    fc.property(cases, (c) => {
      const plan = allocateCharging(c.limits, c.demands, NOW);
      property(c, plan, new Checked(c, plan));
    }),
    { numRuns: RUNS },
  );
}

describe(`allocateCharging over ${RUNS} random fleets and grids per property`, () => {
  it('never allocates more than a feeder or transformer can carry (beyond what pinned sessions already draw)', () => {
    check((c, plan, view) => {
      for (const constraint of view.constraints) {
        let pinned = 0;
        let controlled = 0;
        for (const i of constraint.members) {
          const d = c.demands[i]!;
          if (d.pinnedKw !== undefined) pinned += d.pinnedKw;
          else controlled += plan.kw[i]!;
        }
        expect(controlled, constraint.id).toBeLessThanOrEqual(Math.max(0, constraint.capKw - pinned) + TOLERANCE);
      }
    });
  });

  it('gives every session its minimum or nothing (paused), never more than its maximum', () => {
    check((c, plan) => {
      c.demands.forEach((d, i) => {
        if (d.pinnedKw !== undefined) return;
        const given = plan.kw[i]!;
        if (plan.paused[i]) expect(given).toBe(0);
        else {
          expect(given).toBeGreaterThanOrEqual(d.minKw - KW_EPSILON);
          expect(given).toBeLessThanOrEqual(d.maxKw + KW_EPSILON);
        }
      });
    });
  });

  it('serves classes in priority order: a session short of its maximum is blocked by its own class or higher', () => {
    check((c, plan, view) => {
      c.demands.forEach((d, i) => {
        if (d.pinnedKw !== undefined || plan.kw[i]! >= d.maxKw - TOLERANCE) return;
        // Paused: its minimum did not fit beside those ranked with or above it; otherwise a
        // constraint on its path is full with them. Lower classes never hold it back.
        const need = plan.paused[i] ? d.minKw : TOLERANCE;
        const blocked = view.pathOf[i]!.some((k) => view.leftAfter(k, rankOf(d.class)) < need + TOLERANCE);
        expect(blocked, `${d.id} (${d.class}) at ${plan.kw[i]} of ${d.maxKw}`).toBe(true);
      });
    });
  });

  it('is max-min fair within a class: no one above their floor gets more than a session they block', () => {
    check((c, plan, view) => {
      c.demands.forEach((a, i) => {
        if (a.pinnedKw !== undefined || plan.paused[i] || plan.kw[i]! >= a.maxKw - TOLERANCE) return;
        const rank = rankOf(a.class);
        const fair = view.pathOf[i]!.some((k) => {
          if (view.leftAfter(k, rank) > TOLERANCE) return false;
          // At a full constraint, every same-class session that is above its minimum (and has no
          // deadline floor) gets no more than `a`.
          return view.constraints[k]!.members.every((j) => {
            const b = c.demands[j]!;
            const comparable = b.class === a.class && b.pinnedKw === undefined && rateOf(b) === 0 && plan.kw[j]! > b.minKw + TOLERANCE;
            return !comparable || plan.kw[j]! <= plan.kw[i]! + TOLERANCE;
          });
        });
        expect(fair, `${a.id} (${a.class}) at ${plan.kw[i]}`).toBe(true);
      });
    });
  });

  it('reports exactly the deadlines it does not meet, each with the right reason', () => {
    check((c, plan) => {
      const risks = new Map(plan.atRisk.map((risk) => [risk.index, risk]));
      c.demands.forEach((d, i) => {
        const rate = rateOf(d);
        if (d.pinnedKw !== undefined || rate === 0) return expect(risks.has(i)).toBe(false);
        const risk = risks.get(i);
        if (rate > d.maxKw + KW_EPSILON) expect(risk?.reason).toBe('charger-max');
        else if (plan.kw[i]! < rate - KW_EPSILON) expect(risk?.reason).toBe('capacity');
        else expect(risk).toBeUndefined();
        if (risk) expect(risk.shortfallKwh).toBeCloseTo(Math.max(0, d.deadline!.energyKwh - plan.kw[i]! * ((d.deadline!.departAtMs - NOW) / HOUR)), 6);
      });
    });
  });

  it('meets deadlines earliest departure first, and before the same class shares the rest', () => {
    const edf = (c: Case, plan: ChargingPlan, view: Checked) => {
      const risks = new Map(plan.atRisk.map((risk) => [risk.index, risk]));
      for (const risk of plan.atRisk) {
        // `a` could not get its rate although it charges: the capacity on its path is used up.
        const i = risk.index;
        const a = c.demands[i]!;
        if (plan.paused[i] || risk.reason !== 'capacity') continue;
        for (const j of view.constraints[view.pathOf[i]![0]!]!.members) {
          const b = c.demands[j]!;
          if (j === i || b.class !== a.class || b.pinnedKw !== undefined) continue;
          if (rateOf(b) > 0 && b.deadline!.departAtMs > a.deadline!.departAtMs) expect(risks.has(j), `${b.id} leaves after ${a.id}`).toBe(true);
          if (rateOf(b) === 0) expect(plan.kw[j]!, `${b.id} has no deadline`).toBeLessThanOrEqual(TOLERANCE);
        }
      }
    };
    check(edf, fleet);
    check(edf, depot);
  });
});
