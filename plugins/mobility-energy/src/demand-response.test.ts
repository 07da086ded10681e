import { energy } from '@polis/contracts';
import type { EventData } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';
import { energyKits, gridConfig } from './test-fixtures.js';
import type { EnergyKit } from './test-fixtures.js';

const startKit = energyKits();

const vehicles = [
  { id: 'fire-1', class: 'emergency' as const, idTags: ['FIRE1'], batteryKwh: 200 },
  { id: 'bus-7', class: 'transit' as const, idTags: ['BUS7'], batteryKwh: 300 },
];
/** An OpenADR 3-style event on feeder f2 from now. */
const request = (kit: EnergyKit, reductionKw: number, extra: Record<string, unknown> = {}) => ({
  eventId: 'dr-1',
  programId: 'csg-peak-shaving',
  eventName: 'afternoon peak',
  priority: 0,
  targets: { feederIds: ['f2'] },
  intervalPeriod: { start: new Date(kit.kit.clock.now()).toISOString(), duration: 'PT30M' },
  reductionKw,
  restoreRampS: 600,
  ...extra,
}) as EventData<typeof energy.DemandResponseRequested>;

describe('grid demand response', () => {
  it('curtails within one cycle, lowest priority first, reports what it achieved, and ramps back without a rebound', async () => {
    const energyKit = await startKit(gridConfig({ vehicles, allocation: { cycleS: 60 } }));
    const { kit } = energyKit;
    const cp3 = await energyKit.chargePoint('cp-3');
    const cp4 = await energyKit.chargePoint('cp-4');
    const car = await cp3.startTransaction(1, 'CAR-1');
    const bus = await cp4.startTransaction(1, 'BUS7');
    await energyKit.nextCycle();
    // 50 kW on f2: both at their 32 A, 22.08 kW each: 44.16 kW.
    expect([cp3.txLimits(car.transactionId), cp4.txLimits(bus.transactionId)]).toEqual([[32], [32]]);

    const requested = await kit.publish(energy.DemandResponseRequested, request(energyKit, 30));
    await energyKit.nextCycle();
    // 30 kW: the car gives all 22.08, the bus the other 7.92 (capped at 14.16 kW: 20.5 A).
    expect(cp3.txLimits(car.transactionId)).toEqual([32, 0]);
    expect(cp4.txLimits(bus.transactionId)).toEqual([32, 20.5]);
    const curtailed = await kit.expectEvent(energy.DemandResponseReported);
    expect(curtailed.correlationid).toBe(requested.correlationid);
    expect(curtailed.data).toMatchObject({ eventId: 'dr-1', programId: 'csg-peak-shaving', status: 'curtailed', feederIds: ['f2'], requestedKw: 30, baselineKw: 44.16, protectedEmergencyKw: 0 });
    expect(curtailed.data.achievedKw).toBeCloseTo(30, 1);
    expect(curtailed.data.loadKw).toBeCloseTo(14.15, 1);
    expect(curtailed.data.curtailedByClass.private).toBeCloseTo(22.08, 6);
    expect(curtailed.data.curtailedByClass.transit).toBeCloseTo(7.94, 1);
    expect(curtailed.data.curtailedByClass.emergency).toBe(0);

    // Through the event the cap holds; after its end capacity comes back over 600 s, the cap
    // rising by a tenth of the 35.84 kW a minute, and the load never above it: no rebound peak.
    const allocations = () => kit.eventsOf(energy.AllocationChanged).filter((e) => e.data.feederId === 'f2').map((e) => e.data);
    for (let minute = 0; minute < 29; minute++) await energyKit.nextCycle();
    const during = allocations();
    expect(during.at(-1)).toMatchObject({ capKw: 14.16 });
    for (let minute = 0; minute < 12; minute++) await energyKit.nextCycle();
    const after = allocations().slice(during.length - 1);
    expect(after.length).toBeGreaterThan(5);
    for (let i = 1; i < after.length; i++) {
      expect(after[i]!.capKw - after[i - 1]!.capKw).toBeLessThanOrEqual(3.6);
      expect(after[i]!.allocatedKw).toBeLessThanOrEqual(after[i]!.capKw);
    }
    expect(after.at(-1)).toMatchObject({ capKw: 50, allocatedKw: 44.16 });
    const restored = await kit.expectEvent(energy.DemandResponseReported, { where: (e) => e.data.status === 'restored' });
    expect(restored.correlationid).toBe(requested.correlationid);
    expect(restored.data.loadKw).toBeCloseTo(44.16, 6);
    expect(cp3.txLimits(car.transactionId).at(-1)).toBe(32);
    expect(cp3.schemaViolations).toEqual([]);
  });

  it('never takes the emergency fleet below its mission need, and says what it could not reduce', async () => {
    const energyKit = await startKit(gridConfig({ vehicles }));
    const { kit } = energyKit;
    const cp3 = await energyKit.chargePoint('cp-3');
    const cp4 = await energyKit.chargePoint('cp-4');
    const fire = await cp3.startTransaction(1, 'FIRE1');
    const car = await cp4.startTransaction(1, 'CAR-1');
    await energyKit.nextCycle();
    await kit.publish(energy.DemandResponseRequested, request(energyKit, 40));
    await energyKit.nextCycle();
    // The fire engine's charge is unknown: it keeps all it draws; only the car's 22.08 kW go.
    expect(cp3.txLimits(fire.transactionId)).toEqual([32]);
    expect(cp4.txLimits(car.transactionId)).toEqual([32, 0]);
    const report = await kit.expectEvent(energy.DemandResponseReported);
    expect(report.data).toMatchObject({ requestedKw: 40, baselineKw: 44.16, protectedEmergencyKw: 22.08, achievedKw: 22.08, curtailedByClass: { emergency: 0, private: 22.08 } });
  });

  it('curtails an emergency vehicle that is mission-ready like any other, after everyone else', async () => {
    const energyKit = await startKit(gridConfig({ vehicles }));
    const { kit } = energyKit;
    const cp3 = await energyKit.chargePoint('cp-3');
    const cp4 = await energyKit.chargePoint('cp-4');
    const fire = await cp3.startTransaction(1, 'FIRE1');
    await cp4.startTransaction(1, 'CAR-1');
    await kit.publish(energy.VehicleReported, { vehicleId: 'fire-1', at: new Date(kit.clock.now()).toISOString(), socPct: 92 });
    await energyKit.nextCycle();
    await kit.publish(energy.DemandResponseRequested, request(energyKit, 40));
    await energyKit.nextCycle();
    // 40 kW: the car's 22.08 and 17.92 of the fire engine's: it keeps 4.16 kW (6 A).
    expect(cp3.txLimits(fire.transactionId)).toEqual([32, 6]);
    const report = await kit.expectEvent(energy.DemandResponseReported);
    expect(report.data.protectedEmergencyKw).toBe(0);
    expect(report.data.achievedKw).toBeCloseTo(40, 0);
  });

  it('targets every feeder of a zone, and refuses targets it does not have', async () => {
    const energyKit = await startKit(gridConfig({ vehicles }));
    const { kit } = energyKit;
    await kit.publish(energy.DemandResponseRequested, request(energyKit, 10, { targets: { zones: ['futian-south', 'nowhere'] } }));
    expect((await kit.expectEvent(energy.InputRejected)).data).toEqual({ source: 'energy.grid.demand-response.requested', ref: 'dr-1', path: '/targets/zones/1', reason: 'no feeder is in zone "nowhere"' });
    await kit.publish(energy.DemandResponseRequested, request(energyKit, 10, { eventId: 'dr-2', targets: { feederIds: ['f9'] } }));
    expect((await kit.expectEvent(energy.InputRejected, { where: (e) => e.data.ref === 'dr-2' })).data.path).toBe('/targets/feederIds/0');
    await expect(kit.publish(energy.DemandResponseRequested, request(energyKit, 10, { intervalPeriod: { start: new Date(kit.clock.now()).toISOString(), duration: 'two hours' } }))).rejects.toMatchObject({ code: 'POLIS_EVENT_INVALID' });

    const cp3 = await energyKit.chargePoint('cp-3');
    const car = await cp3.startTransaction(1, 'CAR-1');
    await energyKit.nextCycle();
    await kit.publish(energy.DemandResponseRequested, request(energyKit, 10, { eventId: 'dr-3', targets: { zones: ['futian-south'] } }));
    await energyKit.nextCycle();
    // 22.08 - 10 = 12.08 kW: 17.5 A.
    expect(cp3.txLimits(car.transactionId)).toEqual([32, 17.5]);
  });
});
