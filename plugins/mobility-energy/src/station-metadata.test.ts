import { energy, traffic } from '@polis/contracts';
import { describe, expect, it } from 'vitest';
import { energyKits, gridConfig, stationExample } from './test-fixtures.js';

// The real EVChargingStation examples of the FIWARE Smart Data Models describe a station in
// Valladolid; hub-a is configured as that station.
const config = () => {
  const base = gridConfig();
  const hubs = base.hubs as Record<string, unknown>[];
  hubs[0] = { ...hubs[0], fiwareId: 'ValladolI+D_Covaresa' };
  return base;
};

const startKit = energyKits();

describe('FIWARE EVChargingStation data as hub metadata', () => {
  it.each(['example.json', 'example-normalized.jsonld'] as const)('takes the name and position from %s', async (file) => {
    const energyKit = await startKit(config());
    const { kit } = energyKit;
    await kit.publish(energy.StationObserved, { entity: stationExample(file) });
    // A vehicle heading to hub-a near an incident at the station's real position is warned: the
    // hub now stands where FIWARE says (coordinates are longitude first).
    await kit.publish(energy.VehicleReported, { vehicleId: 'taxi-1', at: new Date(kit.clock.now()).toISOString(), socPct: 40, headingToHubId: 'hub-a' });
    const near = { lat: 41.6185, lon: -4.7479 };
    await kit.publish(traffic.IncidentDetected, {
      detectionId: 'det-1',
      detectorId: 'd-1',
      linkId: 'l-1',
      position: near,
      detectedAt: new Date(kit.clock.now()).toISOString(),
      baselineSpeedKph: 50,
      speedKph: 5,
      baselineOccupancyPct: 10,
      occupancyPct: 80,
    });
    const disrupted = await kit.expectEvent(energy.HubDisrupted);
    expect(disrupted.data).toMatchObject({ hubId: 'hub-a', distanceM: expect.any(Number) });
    expect(disrupted.data.distanceM).toBeLessThan(50);
    const warned = await kit.expectEvent(energy.VehicleWarned);
    expect(warned.data.reason).toMatch(/from Agencia de Innovación$/);
    expect(kit.eventsOf(energy.InputRejected)).toEqual([]);
  });

  it('refuses the NGSI-v2 normalized example, whose taxAmountCollected is a Boolean where the model says number', async () => {
    const energyKit = await startKit(config());
    const { kit } = energyKit;
    await kit.publish(energy.StationObserved, { entity: stationExample('example-normalized.json') });
    expect((await kit.expectEvent(energy.InputRejected)).data).toEqual({
      source: 'energy.station.observed',
      ref: 'urn:ngsi-ld:EVChargingStation:ValladolI+D_Covaresa',
      path: '/entity/taxAmountCollected',
      reason: 'not a valid FIWARE EVChargingStation: /taxAmountCollected must be number',
    });
  });

  it('refuses a station that breaks the Smart Data Model, or that no hub is configured for, saying where', async () => {
    const energyKit = await startKit(config());
    const { kit } = energyKit;
    // Key-values are checked by the bus against the model; normalized entities by the plugin.
    const normalized = stationExample('example-normalized.jsonld');
    await kit.publish(energy.StationObserved, { entity: { ...normalized, capacity: { type: 'Property', value: 0 } } });
    expect((await kit.expectEvent(energy.InputRejected)).data).toEqual({
      source: 'energy.station.observed',
      ref: 'urn:ngsi-ld:EVChargingStation:ValladolI+D_Covaresa',
      path: '/entity/capacity',
      reason: expect.stringMatching(/^not a valid FIWARE EVChargingStation: \/capacity must be >= 1/),
    });
    await expect(kit.publish(energy.StationObserved, { entity: { ...stationExample('example.json'), capacity: 0 } })).rejects.toMatchObject({ code: 'POLIS_EVENT_INVALID' });
    await kit.publish(energy.StationObserved, { entity: { ...stationExample('example.json'), capacity: 2, availableCapacity: 3 } });
    await kit.expectEvent(energy.InputRejected, { where: (e) => e.data.path === '/entity/availableCapacity' });
    await kit.publish(energy.StationObserved, { entity: { ...stationExample('example.json'), id: 'urn:ngsi-ld:EVChargingStation:elsewhere' } });
    const unknown = await kit.expectEvent(energy.InputRejected, { where: (e) => e.data.ref.endsWith('elsewhere') });
    expect(unknown.data).toMatchObject({ path: '/entity/id', reason: expect.stringMatching(/no hub is configured/) });
  });
});
