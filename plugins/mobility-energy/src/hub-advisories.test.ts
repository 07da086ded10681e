import { energy, traffic } from '@polis/contracts';
import { describe, expect, it } from 'vitest';
import { energyKits } from './test-fixtures.js';

const startKit = energyKits();

const incidentAt = (position: { lat: number; lon: number }, at: string) => ({
  detectionId: 'det-42',
  detectorId: 'd-n21-n22-1',
  linkId: 'n21-n22',
  position,
  detectedAt: at,
  baselineSpeedKph: 48,
  speedKph: 6,
  baselineOccupancyPct: 9,
  occupancyPct: 74,
});

describe('a traffic incident near a charging hub', () => {
  it('disrupts the hub and warns the vehicles heading there, now and later, pointing to another hub, under the incident chain', async () => {
    const energyKit = await startKit();
    const { kit } = energyKit;
    const now = () => new Date(kit.clock.now()).toISOString();
    await kit.publish(energy.VehicleReported, { vehicleId: 'taxi-1', at: now(), socPct: 22, headingToHubId: 'hub-a', position: { lat: 22.55, lon: 114.06 } });
    await kit.publish(energy.VehicleReported, { vehicleId: 'bus-7', at: now(), socPct: 60, headingToHubId: 'hub-b' });
    // 200 m east of hub-a (Civic Center); hub-b is 2 km south.
    const detection = await kit.publish(traffic.IncidentDetected, incidentAt({ lat: 22.5431, lon: 114.0598 }, now()));

    const disrupted = await kit.expectEvent(energy.HubDisrupted);
    expect(disrupted.data).toEqual({ hubId: 'hub-a', detectionId: 'det-42', linkId: 'n21-n22', position: { lat: 22.5431, lon: 114.0598 }, distanceM: 195, until: new Date(kit.clock.now() + 1800_000).toISOString() });
    expect(disrupted.correlationid).toBe(detection.correlationid);
    const warned = await kit.expectEvent(energy.VehicleWarned);
    expect(warned.data).toEqual({ vehicleId: 'taxi-1', hubId: 'hub-a', detectionId: 'det-42', reason: 'traffic incident on n21-n22, 195 m from Civic Center', alternativeHubId: 'hub-b', at: now() });
    expect(warned.correlationid).toBe(detection.correlationid);
    expect(kit.eventsOf(energy.VehicleWarned)).toHaveLength(1);

    // A car that sets off for hub-a later is warned too, once, and in the same chain.
    await kit.clock.advance(600_000);
    const report = await kit.publish(energy.VehicleReported, { vehicleId: 'car-3', at: now(), socPct: 35, headingToHubId: 'hub-a' });
    const later = await kit.expectEvent(energy.VehicleWarned, { where: (e) => e.data.vehicleId === 'car-3' });
    expect(later.correlationid).toBe(detection.correlationid);
    expect(later.correlationid).not.toBe(report.correlationid);
    await kit.publish(energy.VehicleReported, { vehicleId: 'car-3', at: now(), socPct: 34, headingToHubId: 'hub-a' });
    await kit.expectNoEvent(energy.VehicleWarned, { where: (e) => e.data.vehicleId === 'car-3' && e.id !== later.id, within: 100 });

    // Once the disruption is over, nobody is warned.
    await kit.clock.advance(1200_000);
    await kit.publish(energy.VehicleReported, { vehicleId: 'car-4', at: now(), socPct: 35, headingToHubId: 'hub-a' });
    await kit.expectNoEvent(energy.VehicleWarned, { where: (e) => e.data.vehicleId === 'car-4', within: 100 });
  });

  it('leaves hubs far from the incident alone', async () => {
    const energyKit = await startKit();
    const { kit } = energyKit;
    await kit.publish(traffic.IncidentDetected, incidentAt({ lat: 22.6, lon: 114.2 }, new Date(kit.clock.now()).toISOString()));
    await kit.expectNoEvent(energy.HubDisrupted, { within: 150 });
  });
});
