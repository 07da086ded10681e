import { energy } from '@polis/contracts';
import { FakeClock } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import { energyKits, gridConfig } from './test-fixtures.js';

const startKit = energyKits();

const HOUR = 3_600_000;
const DAY = Date.UTC(2026, 0, 1);

/**
 * A depot of two 300 kWh buses on 150 kW DC chargers and a 300 kW feeder. Both leave at 18:00 on
 * a 150 kWh block (needing 20 % + 50 % = 70 %) and start the day at 30 %: 120 kWh each, 126.3 kWh
 * from the grid at 95 %. The tariff (UTC here): 1.2 until noon, 0.7 from noon to 22:00.
 */
const depotConfig = () =>
  gridConfig({
    grid: { transformers: [], feeders: [{ id: 'depot-feeder', limitKw: 300, zone: 'depot' }] },
    hubs: [
      {
        id: 'depot-hub',
        name: 'Futian Bus Depot',
        position: { lat: 22.52, lon: 114.03 },
        feederId: 'depot-feeder',
        chargers: [
          { id: 'dc-1', rateUnit: 'W', maxPowerKw: 150, minPowerKw: 10 },
          { id: 'dc-2', rateUnit: 'W', maxPowerKw: 150, minPowerKw: 10 },
        ],
      },
    ],
    vehicles: [],
    allocation: { cycleS: 300 },
    depots: [
      {
        id: 'futian-depot',
        hubId: 'depot-hub',
        tariff: { utcOffsetMinutes: 0, currency: 'CNY', periods: [{ from: '00:00', pricePerKwh: 0.3 }, { from: '08:00', pricePerKwh: 1.2 }, { from: '12:00', pricePerKwh: 0.7 }, { from: '22:00', pricePerKwh: 0.3 }] },
        buses: ['bus-1', 'bus-2'].map((id) => ({ id, batteryKwh: 300, maxChargeKw: 150, initialSocPct: 30, blocks: [{ id: `${id}-evening`, depart: '18:00', return: '23:30', energyKwh: 150 }] })),
      },
    ],
  });

describe('an electric bus depot', () => {
  it('waits for the cheaper afternoon, then charges every bus to what its block needs before it leaves', async () => {
    const energyKit = await startKit(depotConfig(), { clock: new FakeClock(DAY + 11.75 * HOUR) });
    const { kit } = energyKit;
    const dc1 = await energyKit.chargePoint('dc-1');
    const dc2 = await energyKit.chargePoint('dc-2');
    const a = await dc1.startTransaction(1, 'bus-1');
    const b = await dc2.startTransaction(1, 'bus-2');
    await energyKit.nextCycle(); // 11:50
    const plan = await kit.expectEvent(energy.DepotSchedulePlanned);
    expect(plan.data).toMatchObject({ depotId: 'futian-depot', limitKw: 300, peakKw: 300, currency: 'CNY' });
    expect(plan.data.cost).toBeCloseTo(2 * (120 / 0.95) * 0.7, 1);
    for (const bus of plan.data.buses) {
      expect(bus.departures).toEqual([{ blockId: `${bus.busId}-evening`, departAt: new Date(DAY + 18 * HOUR).toISOString(), requiredSocPct: 70, plannedSocPct: 70, met: true, shortfallKwh: 0 }]);
      expect(bus.slots[0]!.start).toBe(new Date(DAY + 12 * HOUR).toISOString());
    }
    // Before noon the plan says nothing: the buses are held at 0 W.
    expect([dc1.txLimits(a.transactionId), dc2.txLimits(b.transactionId)]).toEqual([[0], [0]]);

    await energyKit.nextCycle(); // 11:55
    await energyKit.nextCycle(); // 12:00, the first flat-price slot
    expect([dc1.txLimits(a.transactionId).at(-1), dc2.txLimits(b.transactionId).at(-1)]).toEqual([150_000, 150_000]);
    expect(dc1.schemaViolations).toEqual([]);
  });

  it('plans again when the grid takes capacity away, and says which departure it can no longer meet', async () => {
    const energyKit = await startKit(depotConfig(), { clock: new FakeClock(DAY + 12 * HOUR) });
    const { kit } = energyKit;
    const dc1 = await energyKit.chargePoint('dc-1');
    const dc2 = await energyKit.chargePoint('dc-2');
    await dc1.startTransaction(1, 'bus-1');
    await dc2.startTransaction(1, 'bus-2');
    await energyKit.nextCycle();
    // At 12:05 a grid event holds the depot to 40 kW for six hours. Planned again at the next
    // cycle (12:10): 5 h 50 min x 40 kW = 233.3 of the 252.6 kWh needed from the grid.
    await kit.publish(energy.DemandResponseRequested, {
      eventId: 'dr-depot',
      programId: 'csg',
      targets: { zones: ['depot'] },
      intervalPeriod: { start: new Date(kit.clock.now()).toISOString(), duration: 'PT6H' },
      reductionKw: 260,
    });
    await energyKit.nextCycle();
    const replanned = await kit.expectEvent(energy.DepotSchedulePlanned, { where: (e) => e.data.limitKw === 40 });
    const departures = replanned.data.buses.flatMap((bus) => bus.departures);
    expect(departures.filter((d) => !d.met)).toHaveLength(1);
    expect(departures.reduce((sum, d) => sum + d.shortfallKwh, 0)).toBeCloseTo((2 * (120 / 0.95) - 40 * (5 + 50 / 60)) * 0.95, 1);
    expect(replanned.data.peakKw).toBeLessThanOrEqual(40);
    const allocation = kit.eventsOf(energy.AllocationChanged).at(-1)!;
    expect(allocation.data.allocatedKw).toBeLessThanOrEqual(40);
  });
});
