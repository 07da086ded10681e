import { describe, expect, it } from 'vitest';
import type { IntersectionSpec } from './algorithms/road-network.js';
import { SignalController } from './signal-controller.js';

/*
 * Phase A: 10 s min green, 3 s yellow, 2 s all-red; phase B: 10 s, 4 s, 1 s. With greens of
 * 20 s and 15 s the cycle is A green 0-20, yellow 20-23, all-red 23-25, B green 25-40,
 * yellow 40-44, all-red 44-45: 45 s.
 */
const junction: IntersectionSpec = {
  id: 'j',
  node: 'n',
  minCycleS: 30,
  maxCycleS: 120,
  phases: [
    { id: 'A', links: [], minGreenS: 10, yellowS: 3, allRedS: 2 },
    { id: 'B', links: [], minGreenS: 10, yellowS: 4, allRedS: 1 },
  ],
};
const plan = { cycleS: 45, greensS: [20, 15], flowRatioSum: 0.5, overCapacity: false };
const s = (seconds: number) => seconds * 1000;
const controller = () => new SignalController(junction, plan, 0);

describe('SignalController', () => {
  it('shows each phase green, yellow and all-red in turn, cycle after cycle', () => {
    const signal = controller();
    expect(signal.startCycle(0)).toBe(s(45));
    const at = (seconds: number) => signal.stateAt(s(seconds));
    expect(at(0)).toEqual({ intersectionId: 'j', phaseId: 'A', interval: 'green', elapsedS: 0 });
    expect(at(21)).toMatchObject({ phaseId: 'A', interval: 'yellow', elapsedS: 1 });
    expect(at(24)).toMatchObject({ phaseId: 'A', interval: 'all-red', elapsedS: 1 });
    expect(at(30)).toMatchObject({ phaseId: 'B', interval: 'green', elapsedS: 5 });
    expect(at(44.5)).toMatchObject({ phaseId: 'B', interval: 'all-red', elapsedS: 0.5 });
    // A late cycle timer: the plan simply repeats.
    expect(at(95)).toMatchObject({ phaseId: 'A', interval: 'green', elapsedS: 5 });
  });

  it('lets a conflicting green reach its min green and run its full clearance before the held green', () => {
    const signal = controller();
    // At 5 s A has shown 5 of its 10 s min green: green until 10, yellow to 13, all-red to 15.
    const preemption = signal.preempt('c1', 'B', s(5), s(30));
    expect(preemption).toEqual({ greenFromMs: s(15), holdUntilMs: s(30), restoreAtMs: s(35) });
    expect(signal.stateAt(s(9))).toMatchObject({ phaseId: 'A', interval: 'green', elapsedS: 9 });
    expect(signal.stateAt(s(12))).toMatchObject({ phaseId: 'A', interval: 'yellow', elapsedS: 2 });
    expect(signal.stateAt(s(14))).toMatchObject({ phaseId: 'A', interval: 'all-red', elapsedS: 1 });
    expect(signal.stateAt(s(29))).toMatchObject({ phaseId: 'B', interval: 'green', elapsedS: 14 });
    expect(signal.stateAt(s(33))).toMatchObject({ phaseId: 'B', interval: 'yellow', elapsedS: 3 });
    expect(signal.preemptedBy).toBe('c1');
  });

  it('cuts a conflicting green that has had its min green at once, but never a yellow', () => {
    const signal = controller();
    expect(signal.preempt('c1', 'B', s(15), s(30)).greenFromMs).toBe(s(20));
    const inYellow = controller();
    expect(inYellow.preempt('c1', 'B', s(21), s(30)).greenFromMs).toBe(s(25));
    const heldInYellow = controller();
    // A's own yellow has begun: it runs out, and so does the all-red, before A is green again.
    expect(heldInYellow.preempt('c1', 'A', s(21), s(40))).toEqual({ greenFromMs: s(25), holdUntilMs: s(40), restoreAtMs: s(45) });
  });

  it('holds a phase that is already green from when it turned green', () => {
    const signal = controller();
    expect(signal.preempt('c1', 'B', s(30), s(50))).toEqual({ greenFromMs: s(25), holdUntilMs: s(50), restoreAtMs: s(55) });
    expect(signal.stateAt(s(45))).toMatchObject({ phaseId: 'B', interval: 'green', elapsedS: 20 });
  });

  it('resumes its plan with the phase after the held one, and only for the corridor holding it', () => {
    const signal = controller();
    signal.preempt('c1', 'B', s(5), s(30));
    signal.preempt('c2', 'B', s(20), s(40));
    expect(signal.restore('c1')).toBe(false);
    expect(signal.restore('c2')).toBe(true);
    expect(signal.preemptedBy).toBeUndefined();
    signal.startCycle(s(45));
    expect(signal.stateAt(s(45))).toMatchObject({ phaseId: 'A', interval: 'green', elapsedS: 0 });
    signal.preempt('c3', 'A', s(50), s(60));
    signal.restore('c3');
    signal.startCycle(s(65));
    expect(signal.stateAt(s(65))).toMatchObject({ phaseId: 'B', interval: 'green', elapsedS: 0 });
  });

  it('runs a single phase green without clearances, cycle after cycle and through a pre-emption', () => {
    const single: IntersectionSpec = { ...junction, phases: [{ id: 'A+B', links: [], minGreenS: 10, yellowS: 4, allRedS: 2 }] };
    const signal = new SignalController(single, { cycleS: 46, greensS: [40], flowRatioSum: 0.1, overCapacity: false }, 0);
    expect(signal.startCycle(0)).toBe(s(40));
    expect(signal.intervalsFrom(0).map((interval) => interval.interval)).toEqual(['green']);
    expect(signal.stateAt(s(39))).toMatchObject({ phaseId: 'A+B', interval: 'green' });
    const preemption = signal.preempt('c', 'A+B', s(5), s(60));
    expect(preemption).toEqual({ greenFromMs: 0, holdUntilMs: s(60), restoreAtMs: s(60) });
    expect(signal.intervalsFrom(s(5)).map((interval) => interval.interval)).toEqual(['green']);
  });

  it('gap-out ends a green after its min green and runs the rest of the cycle earlier', () => {
    const signal = controller();
    // A has shown 5 of its 10 s min green: no gap-out yet.
    expect(signal.gapOut(s(5))).toBeUndefined();
    // At 12 s: A's 8 s left are saved; yellow 12-15, all-red 15-17, B green 17-32, ... cycle ends at 37.
    expect(signal.gapOut(s(12))).toBe(s(37));
    expect(signal.stateAt(s(13))).toMatchObject({ phaseId: 'A', interval: 'yellow', elapsedS: 1 });
    expect(signal.stateAt(s(17))).toMatchObject({ phaseId: 'B', interval: 'green', elapsedS: 0 });
    expect(signal.intervalsFrom(s(31)).map((interval) => [interval.phaseId, interval.interval, interval.endMs / 1000])).toEqual([['B', 'green', 32], ['B', 'yellow', 36], ['B', 'all-red', 37]]);
    // Never during a yellow or all-red, nor during a pre-emption.
    expect(signal.gapOut(s(14))).toBeUndefined();
    const held = controller();
    held.preempt('c1', 'B', s(15), s(30));
    expect(held.gapOut(s(26))).toBeUndefined();
  });
});
