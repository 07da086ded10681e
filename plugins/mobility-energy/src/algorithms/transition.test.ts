import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KW_EPSILON, allocateCharging } from './allocate.js';
import type { GridLimits } from './allocate.js';
import { gridOf, kw } from './test-arbitraries.js';
import { fitRaises, splitTransition } from './transition.js';

const RUNS = Number(process.env.POLIS_PROPERTY_RUNS ?? 1000);
const NOW = Date.UTC(2026, 6, 1, 14);

/** CI's counterexample (seed 1814943573): the allocation's targets on f0 sum over its limit by a milliwatt. */
type GridCase = { limits: GridLimits; sessions: { feeder: number; rank: number; minKw: 0 | 1.38 | 4.14; extraKw: number; inForceShare: number; lowerAccepted: boolean }[] };
const MILLIWATT_SHORT: GridCase = {
  limits: { transformers: [{ id: 't0', capKw: 205.21 }, { id: 't1', capKw: 155.21 }, { id: 't2', capKw: 190.57 }, { id: 't3', capKw: 289.86 }], feeders: [{ id: 'f0', capKw: 173.03, transformerId: 't0' }] },
  sessions: [
    { feeder: 0, rank: 1, minKw: 4.14, extraKw: 70.75, inForceShare: 8.135307107278374e-9, lowerAccepted: false },
    { feeder: 0, rank: 1, minKw: 0, extraKw: 37.6, inForceShare: 1.0392201142181838e-8, lowerAccepted: false },
    { feeder: 0, rank: 0, minKw: 0, extraKw: 29.110000000000003, inForceShare: 0, lowerAccepted: false },
    { feeder: 0, rank: 0, minKw: 0, extraKw: 5.61, inForceShare: 0, lowerAccepted: false },
    { feeder: 0, rank: 0, minKw: 4.14, extraKw: 56.98, inForceShare: 0, lowerAccepted: false },
    { feeder: 0, rank: 0, minKw: 1.38, extraKw: 75.82, inForceShare: 0, lowerAccepted: false },
  ],
};

/**
 * A full feeder with two chargers drawing a micro-watt each over their target of 0 (too little to
 * lower: splitTransition leaves them), and a session whose minimum is the whole feeder: counted at
 * what they drew, the two left the raise a micro-watt short of its minimum, so it got nothing
 * (fast-check, seed 1573763697).
 */
const SETTLED_BY_ROUNDING: GridCase = {
  limits: { transformers: [], feeders: [{ id: 'f0', capKw: 4.14 }] },
  sessions: [
    { feeder: 0, rank: 0, minKw: 0, extraKw: 27.98, inForceShare: 1.146682931278004e-8, lowerAccepted: false },
    { feeder: 0, rank: 0, minKw: 0, extraKw: 6.15, inForceShare: 1.104322139785679e-7, lowerAccepted: false },
    { feeder: 0, rank: 0, minKw: 4.14, extraKw: 0, inForceShare: 0, lowerAccepted: false },
  ],
};

describe('splitTransition', () => {
  it('lowers what goes down and raises what goes up, leaving the rest alone', () => {
    expect(splitTransition([10, 5, 7, 0], [4, 9, 7, 3])).toEqual({ lower: [0], raise: [1, 3] });
  });
});

describe('fitRaises', () => {
  const limits: GridLimits = { feeders: [{ id: 'f', capKw: 20, transformerId: 't' }, { id: 'g', capKw: 20, transformerId: 't' }], transformers: [{ id: 't', capKw: 30 }] };
  const sessions = [
    { feederId: 'f', minKw: 4, rank: 3 },
    { feederId: 'f', minKw: 4, rank: 1 },
    { feederId: 'g', minKw: 4, rank: 3 },
  ];

  it('grants every raise once the lowering is in force', () => {
    // The new allocation (10, 10, 10) fits; session 0 came down from 16 to 10 first.
    expect([...fitRaises(limits, sessions, [10, 4, 4], [10, 10, 10], [1, 2])]).toEqual([10, 10]);
  });

  it('cuts the raises by what a charger that refused to come down still draws, lowest priority first', () => {
    // Session 0 refused 16 -> 10: feeder f has 20 - 16 - 4 = 0 left, so the bus (rank 1) stays at
    // 4; the transformer has 30 - 24 = 6 left for session 2 on feeder g: 4 + 6 = 10.
    expect([...fitRaises(limits, sessions, [16, 4, 4], [10, 10, 10], [1, 2])]).toEqual([4, 10]);
  });

  it('does not raise a paused session to less than its minimum', () => {
    // 20 - 18 = 2 kW of room is below the 4 kW minimum: it stays paused.
    expect([...fitRaises({ feeders: [{ id: 'f', capKw: 20 }], transformers: [] }, [{ feederId: 'f', minKw: 0, rank: 0 }, { feederId: 'f', minKw: 4, rank: 3 }], [18, 0], [16, 4], [1])]).toEqual([0]);
  });

  it('never lets a raise push a feeder or transformer over its limit, whatever the chargers accept or refuse', () => {
    const grid = gridOf(6).chain((limits) => {
      const session = fc.record({
        feeder: fc.nat(limits.feeders.length - 1),
        rank: fc.nat(3),
        minKw: fc.constantFrom(0, 1.38, 4.14),
        extraKw: kw(100),
        inForceShare: fc.double({ min: 0, max: 1, noNaN: true }),
        lowerAccepted: fc.boolean(),
      });
      return fc.record({ limits: fc.constant(limits), sessions: fc.array(session, { maxLength: 40, size: 'medium' }) });
    });
    fc.assert(
      fc.property(grid, ({ limits, sessions }) => {
        const classes = ['emergency', 'transit', 'taxi', 'private'] as const;
        const demands = sessions.map((s, i) => ({ id: `s${i}`, feederId: `f${s.feeder}`, class: classes[s.rank]!, minKw: s.minKw, maxKw: s.minKw + s.extraKw, arrivedAtMs: NOW - i }));
        // What the chargers have in force now: anything up to their maximum, even over a limit
        // (the limit just dropped); the new allocation is computed for the limits now.
        const before = demands.map((d, i) => sessions[i]!.inForceShare * d.maxKw);
        const target = allocateCharging(limits, demands, NOW).kw;
        const { lower, raise } = splitTransition(before, target);
        const afterLowering = [...before];
        for (const i of lower) if (sessions[i]!.lowerAccepted) afterLowering[i] = target[i]!;
        const views = demands.map((d, i) => ({ feederId: d.feederId, minKw: d.minKw, rank: sessions[i]!.rank }));
        const granted = fitRaises(limits, views, afterLowering, target, raise);
        const afterRaising = [...afterLowering];
        raise.forEach((i, k) => (afterRaising[i] = granted[k]!));

        const load = (kw: number[], under: (feederId: string) => boolean) => demands.reduce((sum, d, i) => (under(d.feederId) ? sum + kw[i]! : sum), 0);
        const constraints = [
          ...limits.feeders.map((f) => ({ capKw: f.capKw, under: (id: string) => id === f.id })),
          ...limits.transformers.map((t) => ({ capKw: t.capKw, under: (id: string) => limits.feeders.find((f) => f.id === id)!.transformerId === t.id })),
        ];
        for (const { capKw, under } of constraints) {
          const was = load(afterLowering, under);
          const is = load(afterRaising, under);
          // A raise only ever uses room under the limit: over the limit, nothing is raised. A charger
          // over its target by rounding (under KW_EPSILON) counts at its target, so a limit may be
          // over by that much per session.
          expect(is).toBeLessThanOrEqual(Math.max(capKw, was) + KW_EPSILON * (1 + sessions.length));
          // Over the limit nothing is raised: the load stays put, to the micro-kW the raises are rounded to
          // (fast-check found 12.299999 for 12.3 at seed -1103099526).
          if (was > capKw + 1e-6) expect(Math.abs(is - was)).toBeLessThanOrEqual(1e-6 * (1 + raise.length));
        }
        raise.forEach((i, k) => {
          expect(granted[k]).toBeLessThanOrEqual(target[i]! + 1e-9);
          expect(granted[k]).toBeGreaterThanOrEqual(afterLowering[i]!);
        });
        // Every charger came down as asked: then every raise reaches its target, to the milliwatt
        // (KW_EPSILON) per session: the allocation grants a session whose room is short by less
        // than that, so a limit's targets may sum over it by up to a milliwatt each, and the raises
        // stop at the limit itself (CI's seed 1814943573: 77.189999 for a target of 77.19).
        if (lower.every((i) => sessions[i]!.lowerAccepted)) raise.forEach((i, k) => expect(Math.abs(granted[k]! - target[i]!)).toBeLessThanOrEqual(KW_EPSILON * (1 + sessions.length)));
      }),
      { numRuns: RUNS, examples: [[MILLIWATT_SHORT], [SETTLED_BY_ROUNDING]] },
    );
  });
});
