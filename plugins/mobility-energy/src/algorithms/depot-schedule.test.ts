import { describe, expect, it } from 'vitest';
import { planDepotCharging } from './depot-schedule.js';
import type { DepotBus, DepotPlanInput } from './depot-schedule.js';
import { TouTariff } from './tou-tariff.js';

const HOUR = 3_600_000;
const day = Date.UTC(2026, 6, 1);
const at = (h: number) => day + h * HOUR;
/** A Shenzhen-like day in UTC: valley 0.3 at night, peaks 1.2 at 08-12 and 18-22, flat 0.7 between. */
const tariff = new TouTariff({
  utcOffsetMinutes: 0,
  periods: [
    { from: '00:00', pricePerKwh: 0.3 },
    { from: '08:00', pricePerKwh: 1.2 },
    { from: '12:00', pricePerKwh: 0.7 },
    { from: '18:00', pricePerKwh: 1.2 },
    { from: '22:00', pricePerKwh: 0.3 },
  ],
});
const bus = (busId: string, extra: Partial<DepotBus> = {}): DepotBus => ({ busId, batteryKwh: 300, socPct: 40, maxChargeKw: 150, availableFromMs: at(16), ...extra });
const base = (extra: Partial<DepotPlanInput>): DepotPlanInput => ({ nowMs: at(16), slotMs: HOUR / 4, horizonMs: 18 * HOUR, limitKw: 400, tariff, buses: [], trips: [], chargeEfficiency: 1, ...extra });
const kwBefore = (plan: ReturnType<typeof planDepotCharging>, busId: string, ms: number) =>
  plan.slotStartsMs.slice(0, -1).reduce((sum, start, j) => (start < ms ? sum + plan.kwByBus.get(busId)![j]! : sum), 0);

describe('planDepotCharging', () => {
  it('charges in the night valley when the bus has until morning, and prices it', () => {
    // 40 % -> 70 % (a 150 kWh block on 300 kWh with a 20 % reserve): 90 kWh, all at 0.3: 27.
    const plan = planDepotCharging(base({ buses: [bus('b1')], trips: [{ busId: 'b1', blockId: 'blk-1', departAtMs: at(24 + 6), returnAtMs: at(24 + 14), energyKwh: 150 }] }));
    expect(kwBefore(plan, 'b1', at(22))).toBe(0);
    expect(plan.cost).toBeCloseTo(27, 6);
    expect(plan.departures).toEqual([{ busId: 'b1', blockId: 'blk-1', departAtMs: at(30), requiredSocPct: 70, plannedSocPct: 70, met: true, shortfallKwh: 0 }]);
    expect(plan.peakKw).toBe(150);
  });

  it('pays the peak price when the departure leaves no valley, and only as much as needed', () => {
    // Leaves at 19:00: 16:00-18:00 at 0.7 (flat) is cheaper than 18:00-19:00 at 1.2; 90 kWh fit in
    // 16-18 at 150 kW, so nothing is bought at the peak.
    const plan = planDepotCharging(base({ buses: [bus('b1')], trips: [{ busId: 'b1', blockId: 'blk-1', departAtMs: at(19), returnAtMs: at(23), energyKwh: 150 }] }));
    expect(plan.cost).toBeCloseTo(90 * 0.7, 6);
    expect(kwBefore(plan, 'b1', at(19)) - kwBefore(plan, 'b1', at(18))).toBe(0);
  });

  it('finds the cheapest schedule where charging each bus greedily in departure order would not', () => {
    // Prices 22-23: 5, 23-24: 1, 00-01: 10; 10 kW feeder; A (there from 22, leaves at 24) and B
    // (there from 23, leaves at 01) need 10 kWh each. Greedy gives A the cheap hour and B the
    // dear one (10 + 100); the optimum is A at 22-23 and B at 23-24: 50 + 10 = 60.
    const odd = new TouTariff({ utcOffsetMinutes: 0, periods: [{ from: '22:00', pricePerKwh: 5 }, { from: '23:00', pricePerKwh: 1 }, { from: '00:00', pricePerKwh: 10 }, { from: '01:00', pricePerKwh: 0.1 }] });
    const buses = [bus('A', { batteryKwh: 100, socPct: 20, maxChargeKw: 10, availableFromMs: at(22) }), bus('B', { batteryKwh: 100, socPct: 20, maxChargeKw: 10, availableFromMs: at(23) })];
    const trips = [
      { busId: 'A', blockId: 'a', departAtMs: at(24), returnAtMs: at(30), energyKwh: 10 },
      { busId: 'B', blockId: 'b', departAtMs: at(25), returnAtMs: at(30), energyKwh: 10 },
    ];
    const plan = planDepotCharging(base({ nowMs: at(22), slotMs: HOUR, horizonMs: 4 * HOUR, limitKw: 10, tariff: odd, buses, trips, reserveSocPct: 20 }));
    expect(plan.cost).toBeCloseTo(60, 6);
    expect(plan.departures.every((departure) => departure.met)).toBe(true);
  });

  it('serves the earlier departure first when the feeder cannot serve both, and says by how much the other is short', () => {
    // 40 kW: A needs 100 kWh by 01:00 (120 kWh of feeder then), B 100 kWh by 02:00 (160 in all).
    // A gets its 100, B the remaining 60: 40 kWh short.
    const buses = [bus('A', { batteryKwh: 200, socPct: 20, maxChargeKw: 100, availableFromMs: at(22) }), bus('B', { batteryKwh: 200, socPct: 20, maxChargeKw: 100, availableFromMs: at(22) })];
    const trips = [
      { busId: 'A', blockId: 'a', departAtMs: at(25), returnAtMs: at(33), energyKwh: 100 },
      { busId: 'B', blockId: 'b', departAtMs: at(26), returnAtMs: at(33), energyKwh: 100 },
    ];
    const plan = planDepotCharging(base({ nowMs: at(22), slotMs: HOUR, horizonMs: 6 * HOUR, limitKw: 40, buses, trips }));
    const [a, b] = plan.departures;
    expect(a).toMatchObject({ busId: 'A', met: true, plannedSocPct: 70 });
    expect(b).toMatchObject({ busId: 'B', met: false, requiredSocPct: 70 });
    expect(b!.shortfallKwh).toBeCloseTo(40, 6);
    expect(plan.peakKw).toBeCloseTo(40, 9);
  });

  it('keeps the depot under its feeder limit in every slot', () => {
    const buses = Array.from({ length: 12 }, (_, i) => bus(`b${i}`, { socPct: 10 + i * 3 }));
    const trips = buses.map((b, i) => ({ busId: b.busId, blockId: `blk-${i}`, departAtMs: at(24 + 5 + (i % 4) * 0.5), returnAtMs: at(24 + 13), energyKwh: 180 }));
    const plan = planDepotCharging(base({ buses, trips, limitKw: 600 }));
    for (let j = 0; j < plan.slotStartsMs.length - 1; j++) {
      const load = [...plan.kwByBus.values()].reduce((sum, kw) => sum + kw[j]!, 0);
      expect(load).toBeLessThanOrEqual(600 + 1e-6);
    }
    expect(plan.departures.every((departure) => departure.met)).toBe(true);
  });

  it('charges a bus out on a block only once it is back, and plans its next block from what the first leaves', () => {
    // Back at 20:00 with 30 %; blocks at 05:00 (90 kWh: needs 50 %) and, after its return at 11:00,
    // at 13:00 (120 kWh: needs 60 %, from 50 - 30 = 20 % left by the first).
    const trips = [
      { busId: 'b1', blockId: 'early', departAtMs: at(29), returnAtMs: at(35), energyKwh: 90 },
      { busId: 'b1', blockId: 'midday', departAtMs: at(37), returnAtMs: at(42), energyKwh: 120 },
    ];
    const plan = planDepotCharging(base({ horizonMs: 24 * HOUR, buses: [bus('b1', { socPct: 30, availableFromMs: at(20) })], trips }));
    expect(kwBefore(plan, 'b1', at(20))).toBe(0);
    expect(plan.departures.map((d) => [d.blockId, d.requiredSocPct, Math.round(d.plannedSocPct * 1e6) / 1e6, d.met])).toEqual([
      ['early', 50, 50, true],
      ['midday', 60, 60, true],
    ]);
  });

  it('cannot meet a block longer than the battery allows with its reserve, and says so', () => {
    const plan = planDepotCharging(base({ buses: [bus('b1')], trips: [{ busId: 'b1', blockId: 'long', departAtMs: at(30), returnAtMs: at(40), energyKwh: 270 }] }));
    // 20 % + 90 % = 110 %: 100 % at best, 30 kWh short.
    expect(plan.departures[0]).toMatchObject({ requiredSocPct: 100, plannedSocPct: 100, met: false });
    expect(plan.departures[0]!.shortfallKwh).toBeCloseTo(30, 6);
  });
});
