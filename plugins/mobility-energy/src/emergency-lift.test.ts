import { energy, health } from '@polis/contracts';
import { describe, expect, it } from 'vitest';
import { energyKits } from './test-fixtures.js';

const startKit = energyKits();

describe('an ambulance back from a mission', () => {
  it('charges in the emergency class, ahead of a car that was there first, under the dispatch correlation id', async () => {
    const energyKit = await startKit();
    const { kit } = energyKit;
    const cp = await energyKit.chargePoint('cp-1');
    const car = await cp.startTransaction(1, 'CAR-1');
    await energyKit.nextCycle();
    expect(cp.txLimits(car.transactionId)).toEqual([31.8]);

    const dispatched = await kit.publish(health.AmbulanceDispatched, { incidentId: 'INC-7', ambulanceId: 'amb-1', hospitalId: 'futian-hospital', sceneEtaS: 240, hospitalEtaS: 300 });
    const prioritized = await kit.expectEvent(energy.VehiclePrioritized);
    expect(prioritized.data).toEqual({ vehicleId: 'amb-1', class: 'emergency', reason: 'ambulance amb-1 dispatched to INC-7', incidentId: 'INC-7', readySocPct: 80 });
    expect(prioritized.correlationid).toBe(dispatched.correlationid);

    // Back at the station, it plugs in with its card: configured as a private car, it charges as emergency.
    const amb = await cp.startTransaction(2, 'AMB1');
    const started = await kit.expectEvent(energy.SessionStarted, { where: (e) => e.data.vehicleId === 'amb-1' });
    expect(started.data.class).toBe('emergency');
    const lifted = await kit.expectEvent(energy.SessionPrioritized);
    expect(lifted.data).toEqual({ sessionId: started.data.sessionId, vehicleId: 'amb-1', class: 'emergency', previousClass: 'private', reason: 'ambulance amb-1 dispatched to INC-7' });
    expect(lifted.correlationid).toBe(dispatched.correlationid);
    expect(lifted.causationid).toBe(dispatched.id);

    await energyKit.nextCycle();
    // 22 kW: the ambulance takes it all (31.8 A); the car's
    // minimum no longer fits, so it pauses, after coming down first.
    expect(cp.txLimits(amb.transactionId)).toEqual([31.8]);
    expect(cp.txLimits(car.transactionId)).toEqual([31.8, 0]);

    // The next time, with no mission in between, it charges as what it is.
    await cp.stopTransaction(amb.transactionId, 30_000);
    await cp.startTransaction(2, 'AMB1');
    const again = await kit.expectEvent(energy.SessionStarted, { where: (e) => e.data.vehicleId === 'amb-1' && e.data.sessionId !== started.data.sessionId });
    expect(again.data.class).toBe('private');
  });
});
