import { describe, expect, it } from 'vitest';
import { allocateCharging } from './allocate.js';
import { planCurtailment, rampedCapKw } from './curtailment.js';
import type { LoadAtStart } from './curtailment.js';

const load = (feederId: string, cls: LoadAtStart['class'], kw: number, missionNeedKw = 0): LoadAtStart => ({ feederId, class: cls, kw, missionNeedKw });

describe('planCurtailment', () => {
  it('takes private cars first, across every targeted feeder in proportion to their load', () => {
    // 30 kW from 40 kW of private load (f1 30, f2 10): 75 % each, f1 gives 22.5, f2 7.5.
    const plan = planCurtailment(['f1', 'f2'], [load('f1', 'private', 30), load('f2', 'private', 10), load('f2', 'transit', 50)], 30);
    expect(plan.cutByClass).toEqual({ emergency: 0, transit: 0, taxi: 0, private: 30 });
    expect(plan.capKw.get('f1')).toBeCloseTo(7.5, 9);
    expect(plan.capKw.get('f2')).toBeCloseTo(52.5, 9);
    expect(plan).toMatchObject({ baselineKw: 90, plannedKw: 30, protectedEmergencyKw: 0 });
  });

  it('moves up a class only once the one below has given everything', () => {
    // 100 kW: private 20 and taxi 30 go entirely, transit gives the other 50 of its 80.
    const plan = planCurtailment(['f1'], [load('f1', 'private', 20), load('f1', 'taxi', 30), load('f1', 'transit', 80), load('f1', 'emergency', 40, 40)], 100);
    expect(plan.cutByClass).toEqual({ emergency: 0, transit: 50, taxi: 30, private: 20 });
    expect(plan.capKw.get('f1')).toBe(70);
  });

  it('never takes the emergency fleet below its mission need, and says how much it could not reduce', () => {
    // 60 kW asked of 10 kW private and ambulances drawing 44 of which 30 are needed: 10 + 14 = 24.
    const plan = planCurtailment(['f1'], [load('f1', 'private', 10), load('f1', 'emergency', 22, 15), load('f1', 'emergency', 22, 15)], 60);
    expect(plan.cutByClass).toEqual({ emergency: 14, transit: 0, taxi: 0, private: 10 });
    expect(plan).toMatchObject({ plannedKw: 24, protectedEmergencyKw: 30 });
    expect(plan.capKw.get('f1')).toBe(30);
  });

  it('ignores load on feeders the event does not target', () => {
    const plan = planCurtailment(['f1'], [load('f1', 'private', 10), load('f9', 'private', 100)], 5);
    expect(plan).toMatchObject({ baselineKw: 10, plannedKw: 5 });
    expect([...plan.capKw]).toEqual([['f1', 5]]);
  });

  it('yields caps under which the allocator takes the cut from the lowest classes on each feeder', () => {
    // A feeder with an ambulance (22), a bus (50) and two cars (11 each): a 30 kW cut takes both
    // cars (22) and 8 from the bus; the allocator under the cap of 64 gives exactly that.
    const now = Date.UTC(2026, 6, 1, 15);
    const sessions = [
      { id: 'amb', class: 'emergency' as const, maxKw: 22 },
      { id: 'bus', class: 'transit' as const, maxKw: 50 },
      { id: 'car1', class: 'private' as const, maxKw: 11 },
      { id: 'car2', class: 'private' as const, maxKw: 11 },
    ].map((s) => ({ ...s, feederId: 'f1', minKw: 0, arrivedAtMs: now }));
    const before = allocateCharging({ feeders: [{ id: 'f1', capKw: 200 }], transformers: [] }, sessions, now);
    const plan = planCurtailment(['f1'], sessions.map((s, i) => load('f1', s.class, before.kw[i]!, s.class === 'emergency' ? 22 : 0)), 30);
    const during = allocateCharging({ feeders: [{ id: 'f1', capKw: plan.capKw.get('f1')! }], transformers: [] }, sessions, now);
    expect([...during.kw]).toEqual([22, 42, 0, 0]);
  });
});

describe('rampedCapKw', () => {
  it('climbs from the event cap to the limit in a straight line over the ramp', () => {
    const minute = 60_000;
    expect(rampedCapKw(100, 400, 0, 15 * minute)).toBe(100);
    expect(rampedCapKw(100, 400, 5 * minute, 15 * minute)).toBe(200);
    expect(rampedCapKw(100, 400, 15 * minute, 15 * minute)).toBe(400);
    expect(rampedCapKw(100, 400, 60 * minute, 15 * minute)).toBe(400);
    expect(rampedCapKw(100, 400, 1, 0)).toBe(400);
  });
});
