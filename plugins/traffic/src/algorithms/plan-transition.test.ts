import { describe, expect, it } from 'vitest';
import { nextPlan } from './plan-transition.js';

// Two phases, 10 s min green, 3 s yellow + 2 s all-red each: 10 s of clearance per cycle.
const phases = [
  { minGreenS: 10, clearanceS: 5 },
  { minGreenS: 10, clearanceS: 5 },
];
const limits = { maxCycleStepS: 4, maxGreenStepS: 4 };

describe('nextPlan', () => {
  it('adopts a first plan at once, in whole seconds that still add up to the cycle', () => {
    // Webster's 44.444 s cycle with greens 20.556 / 13.889 (34.444 s of green):
    // cycle 44 -> 34 s of green, shared 20.556:13.889 = 20.294 / 13.706 -> 20 / 14 (largest remainder).
    const plan = nextPlan(undefined, { cycleS: 44.444, greensS: [20.556, 13.889] }, phases, limits);
    expect(plan).toEqual({ cycleS: 44, greensS: [20, 14] });
  });

  it('moves the cycle by at most the step per cycle', () => {
    // Target 90 s from a running 60 s: 64 s this cycle, 54 s of green shared 50:30 -> 33.75 / 20.25,
    // but each green moves at most 4 s from 25 / 25: the first is held at 29, the second takes the rest: 25.
    const plan = nextPlan({ cycleS: 60, greensS: [25, 25] }, { cycleS: 90, greensS: [50, 30] }, phases, limits);
    expect(plan.cycleS).toBe(64);
    expect(plan.greensS).toEqual([29, 25]);
  });

  it('reaches a steady target in a few cycles and then stays on it', () => {
    let plan = { cycleS: 60, greensS: [25, 25] as readonly number[] };
    const target = { cycleS: 72, greensS: [40, 22] };
    const cycles: number[] = [];
    for (let k = 0; k < 6; k++) {
      plan = nextPlan(plan, target, phases, limits);
      cycles.push(plan.cycleS);
    }
    expect(cycles).toEqual([64, 68, 72, 72, 72, 72]);
    expect(plan.greensS).toEqual([40, 22]);
  });

  it('never goes below a min green, whatever the target says', () => {
    const plan = nextPlan(undefined, { cycleS: 40, greensS: [29, 1] }, phases, limits);
    expect(plan.greensS).toEqual([20, 10]);
    expect(plan.cycleS).toBe(40);
  });

  it('lengthens a cycle too short for the min greens', () => {
    expect(nextPlan(undefined, { cycleS: 25, greensS: [8, 7] }, phases, limits)).toEqual({ cycleS: 30, greensS: [10, 10] });
  });

  it('keeps fractional clearances and whole-second greens', () => {
    const plan = nextPlan(undefined, { cycleS: 60, greensS: [25, 25] }, [{ minGreenS: 7, clearanceS: 4.5 }, { minGreenS: 7, clearanceS: 4.5 }], limits);
    expect(plan.greensS).toEqual([26, 25]);
    expect(plan.cycleS).toBe(60);
  });

  it('refuses a target with the wrong number of greens', () => {
    expect(() => nextPlan(undefined, { cycleS: 60, greensS: [30] }, phases, limits)).toThrow(/target.greensS/);
  });
});
