import { energy } from '@polis/contracts';
import { describe, expect, it } from 'vitest';
import { energyKits } from './test-fixtures.js';

const start = energyKits();
const HOUR = 3_600_000;

describe('sessions with a departure time', () => {
  it('get the rate that meets their deadline first, and the allocation says which deadline it cannot meet', async () => {
    const energyKit = await start();
    const { kit } = energyKit;
    const now = kit.clock.now();
    const cp1 = await energyKit.chargePoint('cp-1');
    // A car that came first and has no deadline, and one leaving in two hours that needs
    // 60 % of 50 kWh (30 kWh: 15 kW), both private, on the 22 kW feeder f1.
    const early = await cp1.startTransaction(1, 'car-early');
    await kit.publish(energy.VehicleReported, { vehicleId: 'car-late', at: new Date(now).toISOString(), socPct: 20, batteryKwh: 50, departAt: new Date(now + 2 * HOUR).toISOString(), targetSocPct: 80 });
    const late = await cp1.startTransaction(2, 'car-late');
    await energyKit.nextCycle();
    // Floors 15 (the deadline rate) and 4.14 (a minimum): water filling reaches level 7, so the
    // deadline car gets 15 kW (21.7 A) and the other the remaining 7 kW (10.1 A).
    expect(cp1.txLimits(late.transactionId)).toEqual([21.7]);
    expect(cp1.txLimits(early.transactionId)).toEqual([10.1]);
    const met = await kit.expectEvent(energy.AllocationChanged, { where: (e) => e.data.sessions.length === 2 });
    expect(met.data.deadlinesAtRisk).toEqual([]);

    // Now it says it must leave in one hour with 90 %: 35 kWh in an hour is more than the
    // charger's 22.08 kW can give.
    await kit.publish(energy.VehicleReported, { vehicleId: 'car-late', at: new Date(now).toISOString(), socPct: 20, batteryKwh: 50, departAt: new Date(now + 5000 + HOUR).toISOString(), targetSocPct: 90 });
    await energyKit.nextCycle();
    const atRisk = await kit.expectEvent(energy.AllocationChanged, { where: (e) => e.data.deadlinesAtRisk.length > 0 });
    expect(atRisk.data.deadlinesAtRisk).toEqual([
      { sessionId: `cp-1-tx${late.transactionId}`, departAt: new Date(now + 5000 + HOUR).toISOString(), neededKwh: 35, shortfallKwh: expect.any(Number), reason: 'charger-max' },
    ]);
    // All of the feeder it can take goes to it: the other car pauses at 0.
    expect(cp1.txLimits(late.transactionId).at(-1)).toBe(31.8);
    expect(cp1.txLimits(early.transactionId).at(-1)).toBe(0);
    expect(atRisk.data.deadlinesAtRisk[0]!.shortfallKwh).toBeCloseTo(35 - 21.94, 1);
  });
});
