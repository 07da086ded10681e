import { describe, expect, it } from 'vitest';
import { websterTiming, type WebsterPhaseInput } from './webster.js';

/** A phase with 3 s yellow and 2 s all-red: with l1 = e = 2 s its lost time is 5 s. */
function phase(id: string, laneFlowsVph: number[], minGreenS = 7): WebsterPhaseInput {
  return { id, laneFlowsVph, minGreenS, yellowS: 3, allRedS: 2 };
}

function expectAllClose(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 3));
}

describe('websterTiming', () => {
  it('computes the two-phase worked example', () => {
    // y = 540 / 1800 = 0.30 and 450 / 1800 = 0.25, so Y = 0.55; L = 2 × 5 s = 10 s.
    // C0 = (1.5 × 10 + 5) / (1 − 0.55) = 20 / 0.45 = 44.444 s, inside [30, 120].
    // Effective green 44.444 − 10 = 34.444 s: 34.444 × 0.30 / 0.55 = 18.788 s and 34.444 × 0.25 / 0.55 = 15.657 s.
    const timing = websterTiming({ phases: [phase('ns', [540]), phase('ew', [450])], minCycleS: 30, maxCycleS: 120 });
    expect(timing.cycleS).toBeCloseTo(44.444, 3);
    expect(timing.lostTimeS).toBe(10);
    expect(timing.Y).toBeCloseTo(0.55, 9);
    expectAllClose(timing.flowRatios, [0.3, 0.25]);
    expectAllClose(timing.effectiveGreensS, [18.788, 15.657]);
    // l1 = e = 2 s: displayed green equals effective green.
    expectAllClose(timing.greensS, [18.788, 15.657]);
    expect(timing.overCapacity).toBe(false);
    expect(timing.minGreensFit).toBe(true);
  });

  it('computes a four-phase example from the critical lane of each phase and its own saturation flow', () => {
    // Critical lanes: 450 of [450, 380] at 1800 → 0.25; 160 at 1600 (protected left) → 0.10;
    // 360 of [300, 360] at 1800 → 0.20; 270 at 1800 → 0.15. Y = 0.70.
    // 3 s yellow + 1 s all-red: lost 4 s per phase, L = 16 s.
    // C0 = (1.5 × 16 + 5) / (1 − 0.70) = 29 / 0.3 = 96.667 s; effective green 80.667 s:
    // × 0.25/0.70 = 28.810, × 0.10/0.70 = 11.524, × 0.20/0.70 = 23.048, × 0.15/0.70 = 17.286.
    const timing = websterTiming({
      phases: [
        { id: 'ns-through', laneFlowsVph: [450, 380], minGreenS: 10, yellowS: 3, allRedS: 1 },
        { id: 'ns-left', laneFlowsVph: [160], saturationFlowVphPerLane: 1600, minGreenS: 5, yellowS: 3, allRedS: 1 },
        { id: 'ew-through', laneFlowsVph: [300, 360], minGreenS: 10, yellowS: 3, allRedS: 1 },
        { id: 'ew-left', laneFlowsVph: [270], minGreenS: 5, yellowS: 3, allRedS: 1 },
      ],
      minCycleS: 40,
      maxCycleS: 150,
    });
    expect(timing.lostTimeS).toBe(16);
    expect(timing.Y).toBeCloseTo(0.7, 9);
    expect(timing.cycleS).toBeCloseTo(96.667, 3);
    expectAllClose(timing.greensS, [28.81, 11.524, 23.048, 17.286]);
  });

  it('counts start-up lost time plus the clearance not used as green as each phase lost time', () => {
    // l1 = 2 s, e = 1 s: t_L = 2 + 3 + 2 − 1 = 6 s per phase, L = 12 s.
    // C0 = (18 + 5) / 0.45 = 51.111 s; effective 39.111 s → 21.333 and 17.778 s;
    // displayed G = g + l1 − e = g + 1 → 22.333 and 18.778 s (and 22.333 + 18.778 + 2 × 5 = 51.111).
    const timing = websterTiming({
      phases: [phase('ns', [540]), phase('ew', [450])],
      minCycleS: 30,
      maxCycleS: 120,
      startupLostTimeS: 2,
      greenExtensionS: 1,
    });
    expect(timing.lostTimeS).toBe(12);
    expect(timing.cycleS).toBeCloseTo(51.111, 3);
    expectAllClose(timing.effectiveGreensS, [21.333, 17.778]);
    expectAllClose(timing.greensS, [22.333, 18.778]);
  });

  it('raises the cycle to minCycleS when light traffic would make it shorter', () => {
    // Y = 0.05 + 0.05 = 0.10: C0 = 20 / 0.9 = 22.2 s → 30 s; effective green 20 s split 10 / 10.
    const timing = websterTiming({ phases: [phase('ns', [90]), phase('ew', [90])], minCycleS: 30, maxCycleS: 120 });
    expect(timing.cycleS).toBe(30);
    expectAllClose(timing.greensS, [10, 10]);
  });

  it('caps the cycle at maxCycleS when heavy but feasible traffic would make it longer', () => {
    // y = 0.25, 0.15, 0.20, 0.20: Y = 0.80, L = 4 × 5 = 20 s: C0 = 35 / 0.2 = 175 s → 120 s.
    // Effective green 100 s: 31.25, 18.75, 25, 25.
    const phases = [phase('a', [450]), phase('b', [270]), phase('c', [360]), phase('d', [360])];
    const timing = websterTiming({ phases, minCycleS: 40, maxCycleS: 120 });
    expect(timing.cycleS).toBe(120);
    expect(timing.overCapacity).toBe(false);
    expectAllClose(timing.greensS, [31.25, 18.75, 25, 25]);
  });

  it('flags over capacity from Y = 0.95 and runs the longest cycle', () => {
    // y = 900 / 1800 = 0.50 and 810 / 1800 = 0.45: Y = 0.95 exactly.
    const atLimit = websterTiming({ phases: [phase('ns', [900]), phase('ew', [810])], minCycleS: 30, maxCycleS: 120 });
    expect(atLimit.overCapacity).toBe(true);
    expect(atLimit.cycleS).toBe(120);
    // Effective green 110 s: 110 × 0.50 / 0.95 = 57.895 s and 110 × 0.45 / 0.95 = 52.105 s.
    expectAllClose(atLimit.greensS, [57.895, 52.105]);
  });

  it('still shares the longest cycle by flow ratio when demand exceeds saturation flow', () => {
    // y = 1200 / 1800 = 0.667 and 900 / 1800 = 0.5: Y = 1.167, where C0 would be negative.
    const timing = websterTiming({ phases: [phase('ns', [1200]), phase('ew', [900])], minCycleS: 30, maxCycleS: 120 });
    expect(timing.overCapacity).toBe(true);
    expect(timing.cycleS).toBe(120);
    // 110 × 0.667 / 1.167 = 62.857 s and 110 × 0.5 / 1.167 = 47.143 s.
    expectAllClose(timing.greensS, [62.857, 47.143]);
  });

  it('splits green equally when no traffic is measured', () => {
    // Y = 0: C0 = (1.5 × 15 + 5) / 1 = 27.5 s → 45 s; effective green 30 s, 10 s each.
    const timing = websterTiming({ phases: [phase('a', [0, 0]), phase('b', []), phase('c', [0])], minCycleS: 45, maxCycleS: 120 });
    expect(timing.Y).toBe(0);
    expect(timing.cycleS).toBe(45);
    expectAllClose(timing.greensS, [10, 10, 10]);
  });

  it('raises a phase to its min green by taking time from the others in proportion to their flow ratios', () => {
    // y = 0.40, 0.05; L = 10 s: C0 = 20 / 0.55 = 36.364 s, effective 26.364 s → 23.434, 2.929 s.
    // Phase ew needs 10 s: it gets 10 s, ns the remaining 16.364 s.
    const timing = websterTiming({ phases: [phase('ns', [720]), phase('ew', [90], 10)], minCycleS: 30, maxCycleS: 120 });
    expect(timing.cycleS).toBeCloseTo(36.364, 3);
    expectAllClose(timing.greensS, [16.364, 10]);
  });

  it('keeps redistributing when raising one phase pushes another below its min green', () => {
    // y = 0.30, 0.15, 0.05; L = 15 s: C0 = 27.5 / 0.5 = 55 s, effective 40 s → 24, 12, 4 s.
    // Round 1: c is short of 12 s; pinned at 12, the 28 s left go 2:1 → 18.667, 9.333 s.
    // Round 2: b is now short of 12 s; pinned at 12, a gets 40 − 24 = 16 s.
    const phases = [phase('a', [540], 5), phase('b', [270], 12), phase('c', [90], 12)];
    const timing = websterTiming({ phases, minCycleS: 30, maxCycleS: 120 });
    expect(timing.cycleS).toBeCloseTo(55, 9);
    expectAllClose(timing.greensS, [16, 12, 12]);
  });

  it('lengthens the cycle when min greens do not fit in the Webster cycle', () => {
    // C0 = 20 s → 30 s, but min greens need (20 + 5) × 2 = 50 s; effective 40 s → 20 s each.
    const timing = websterTiming({ phases: [phase('ns', [90], 20), phase('ew', [90], 20)], minCycleS: 30, maxCycleS: 120 });
    expect(timing.cycleS).toBe(50);
    expect(timing.minGreensFit).toBe(true);
    expectAllClose(timing.greensS, [20, 20]);
  });

  it('says so when min greens cannot fit even in the longest cycle, and keeps them', () => {
    // (60 + 5) × 2 = 130 s > 120 s.
    const timing = websterTiming({ phases: [phase('ns', [900], 60), phase('ew', [90], 60)], minCycleS: 30, maxCycleS: 120 });
    expect(timing.minGreensFit).toBe(false);
    expect(timing.cycleS).toBe(130);
    expectAllClose(timing.greensS, [60, 60]);
  });

  it('rejects invalid input with the path of the bad value', () => {
    const ok = { phases: [phase('ns', [540]), phase('ew', [450])], minCycleS: 30, maxCycleS: 120 };
    expect(() => websterTiming({ ...ok, phases: [] })).toThrow('phases: must be a non-empty array of phases');
    expect(() => websterTiming({ ...ok, phases: [phase('ns', [540]), phase('ew', [450, -1])] })).toThrow(
      'phases[1].laneFlowsVph[1]: must be a finite number >= 0, got -1',
    );
    expect(() => websterTiming({ ...ok, phases: [phase('ns', [Number.NaN])] })).toThrow('phases[0].laneFlowsVph[0]:');
    expect(() => websterTiming({ ...ok, maxCycleS: 20 })).toThrow('maxCycleS: must be a finite number >= 30, got 20');
    expect(() => websterTiming({ ...ok, phases: [{ ...phase('ns', [540]), saturationFlowVphPerLane: 0 }] })).toThrow(
      'phases[0].saturationFlowVphPerLane: must be a finite number > 0, got 0',
    );
    expect(() => websterTiming({ ...ok, greenExtensionS: 8 })).toThrow('phases[0]: lost time startupLostTimeS + yellowS + allRedS - greenExtensionS is negative (2 + 3 + 2 - 8)');
  });
});
