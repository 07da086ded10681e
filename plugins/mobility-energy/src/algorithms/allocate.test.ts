import type { energy } from '@polis/contracts';
import { describe, expect, it } from 'vitest';
import { allocateCharging } from './allocate.js';
import type { ChargingDemand, GridLimits } from './allocate.js';
import { EnergyInputError } from './errors.js';

const NOW = Date.UTC(2026, 0, 1, 8);
const HOUR = 3_600_000;
/** 6 A on three phases at 230 V: the IEC 61851 minimum of an AC charger, 4.14 kW. */
const MIN_AC_KW = 4.14;

const feeder = (id: string, capKw: number, transformerId?: string) => ({ id, capKw, transformerId });
let arrival = 0;
function demand(id: string, feederId: string, cls: energy.PriorityClass, extra: Partial<ChargingDemand> = {}): ChargingDemand {
  return { id, feederId, class: cls, minKw: 0, maxKw: 22, arrivedAtMs: NOW - 60_000 + arrival++, ...extra };
}
const kwOf = (limits: GridLimits, demands: ChargingDemand[]) => [...allocateCharging(limits, demands, NOW).kw];

describe('allocateCharging', () => {
  it('shares a feeder equally within a class: 22 kW over three cars is 7.33 kW each', () => {
    const limits = { feeders: [feeder('f1', 22)], transformers: [] };
    const demands = ['a', 'b', 'c'].map((id) => demand(id, 'f1', 'private', { minKw: MIN_AC_KW, maxKw: 11 }));
    for (const kw of kwOf(limits, demands)) expect(kw).toBeCloseTo(22 / 3, 9);
  });

  it('serves the emergency fleet before transit: 30 kW gives the ambulance its 22 kW and the bus the other 8', () => {
    const limits = { feeders: [feeder('f1', 30)], transformers: [] };
    const plan = allocateCharging(limits, [demand('bus', 'f1', 'transit'), demand('amb', 'f1', 'emergency')], NOW);
    expect([...plan.kw]).toEqual([8, 22]);
    expect([...plan.feederKw]).toEqual([30]);
  });

  it('pauses the last to arrive when minimums do not fit, and shares the rest among those admitted', () => {
    // 10 kW: two minimums of 4.14 fit (8.28), a third does not; the two admitted share 10 as 5 + 5.
    const limits = { feeders: [feeder('f1', 10)], transformers: [] };
    const demands = ['first', 'second', 'third'].map((id) => demand(id, 'f1', 'private', { minKw: MIN_AC_KW, maxKw: 11 }));
    const plan = allocateCharging(limits, demands, NOW);
    expect([...plan.kw]).toEqual([5, 5, 0]);
    expect([...plan.paused]).toEqual([0, 0, 1]);
  });

  it('is max-min fair across a transformer: 30 kW over feeders of two and one cars gives 10 kW to each', () => {
    // Each feeder alone would give 12.5, 12.5 and 22; the transformer binds at level 10.
    const limits = { feeders: [feeder('f1', 25, 't1'), feeder('f2', 25, 't1')], transformers: [{ id: 't1', capKw: 30 }] };
    const demands = [demand('a', 'f1', 'taxi'), demand('b', 'f1', 'taxi'), demand('c', 'f2', 'taxi')];
    const plan = allocateCharging(limits, demands, NOW);
    for (const kw of plan.kw) expect(kw).toBeCloseTo(10, 9);
    expect(plan.transformerKw[0]).toBeCloseTo(30, 9);
  });

  it('leaves a feeder-bound session at its feeder share when the transformer has room: 40 kW gives 12.5, 12.5 and 15', () => {
    const limits = { feeders: [feeder('f1', 25, 't1'), feeder('f2', 25, 't1')], transformers: [{ id: 't1', capKw: 40 }] };
    const demands = [demand('a', 'f1', 'taxi'), demand('b', 'f1', 'taxi'), demand('c', 'f2', 'taxi')];
    const kws = kwOf(limits, demands);
    expect(kws[0]).toBeCloseTo(12.5, 9);
    expect(kws[1]).toBeCloseTo(12.5, 9);
    expect(kws[2]).toBeCloseTo(15, 9);
  });

  it('gives the earliest departure its rate first and says which deadline the feeder cannot meet', () => {
    // Bus B leaves in 1 h needing 10 kWh (10 kW); bus A in 2 h needing 30 kWh (15 kW); 20 kW in all.
    // EDF: B gets 10, A the remaining 10, 5 kW short of its rate: 30 - 10 x 2 = 10 kWh short at departure.
    const limits = { feeders: [feeder('depot', 20)], transformers: [] };
    const demands = [
      demand('A', 'depot', 'transit', { maxKw: 50, deadline: { departAtMs: NOW + 2 * HOUR, energyKwh: 30 } }),
      demand('B', 'depot', 'transit', { maxKw: 50, deadline: { departAtMs: NOW + HOUR, energyKwh: 10 } }),
    ];
    const plan = allocateCharging(limits, demands, NOW);
    expect([...plan.kw]).toEqual([10, 10]);
    expect(plan.atRisk).toEqual([{ index: 0, departAtMs: NOW + 2 * HOUR, neededKwh: 30, shortfallKwh: 10, reason: 'capacity' }]);
  });

  it("reports a deadline beyond the charger's maximum even with the grid to spare", () => {
    // 60 kWh in one hour at 22 kW at most: 38 kWh short.
    const limits = { feeders: [feeder('f1', 100)], transformers: [] };
    const plan = allocateCharging(limits, [demand('taxi-7', 'f1', 'taxi', { deadline: { departAtMs: NOW + HOUR, energyKwh: 60 } })], NOW);
    expect([...plan.kw]).toEqual([22]);
    expect(plan.atRisk).toEqual([{ index: 0, departAtMs: NOW + HOUR, neededKwh: 60, shortfallKwh: 38, reason: 'charger-max' }]);
  });

  it('serves a deadline rate before sharing, then shares the rest from each floor', () => {
    // 20 kW: the deadline car needs 12 kW; the other car, though it came first, is admitted at its
    // minimum after it; water filling from floors 12 and 4.14 reaches level 8: 12 and 8.
    const limits = { feeders: [feeder('f1', 20)], transformers: [] };
    const demands = [
      demand('plain', 'f1', 'private', { minKw: MIN_AC_KW }),
      demand('leaving', 'f1', 'private', { minKw: MIN_AC_KW, deadline: { departAtMs: NOW + HOUR, energyKwh: 12 } }),
    ];
    const kws = kwOf(limits, demands);
    expect(kws[0]).toBeCloseTo(8, 9);
    expect(kws[1]).toBeCloseTo(12, 9);
  });

  it('lets a deadline session take more than its rate when there is room', () => {
    const limits = { feeders: [feeder('f1', 50)], transformers: [] };
    const plan = allocateCharging(limits, [demand('d', 'f1', 'private', { deadline: { departAtMs: NOW + 4 * HOUR, energyKwh: 8 } })], NOW);
    expect([...plan.kw]).toEqual([22]);
    expect(plan.atRisk).toEqual([]);
  });

  it('charges a pinned session against its feeder before anyone else', () => {
    const limits = { feeders: [feeder('f1', 20)], transformers: [] };
    expect(kwOf(limits, [demand('amb', 'f1', 'emergency'), demand('offline', 'f1', 'private', { pinnedKw: 15 })])).toEqual([5, 15]);
  });

  it('lets a lower class use what a higher class leaves on other feeders of the same transformer', () => {
    // f1 carries an ambulance that takes 22 of the transformer's 40; f2's car gets the other 18.
    const limits = { feeders: [feeder('f1', 30, 't'), feeder('f2', 30, 't')], transformers: [{ id: 't', capKw: 40 }] };
    expect(kwOf(limits, [demand('amb', 'f1', 'emergency'), demand('car', 'f2', 'private')])).toEqual([22, 18]);
  });

  it('ignores a deadline already passed or already met', () => {
    const limits = { feeders: [feeder('f1', 10)], transformers: [] };
    const plan = allocateCharging(
      limits,
      [demand('late', 'f1', 'private', { deadline: { departAtMs: NOW - 1, energyKwh: 5 } }), demand('full', 'f1', 'private', { deadline: { departAtMs: NOW + HOUR, energyKwh: 0 } })],
      NOW,
    );
    expect([...plan.kw]).toEqual([5, 5]);
    expect(plan.atRisk).toEqual([]);
  });

  it('names the offending input', () => {
    const limits = { feeders: [feeder('f1', 10, 'nowhere')], transformers: [] };
    expect(() => allocateCharging(limits, [], NOW)).toThrow(new EnergyInputError('feeders[0].transformerId', 'unknown transformer "nowhere"'));
    const good = { feeders: [feeder('f1', 10)], transformers: [] };
    expect(() => allocateCharging(good, [demand('x', 'f9', 'private')], NOW)).toThrow(/demands\[0\]\.feederId: unknown feeder "f9"/);
    expect(() => allocateCharging(good, [demand('x', 'f1', 'private', { minKw: 5, maxKw: 4 })], NOW)).toThrow(/demands\[0\]: needs 0 <= minKw <= maxKw/);
  });
});
