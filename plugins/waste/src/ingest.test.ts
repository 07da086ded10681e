import { waste } from '@polis/contracts';
import type { FiwareEntity } from '@polis/contracts';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import wastePlugin from './index.js';
import { FIWARE_EXAMPLE_ID, HOUR, at, bin, containerExample, fill, history, wasteConfig } from './test-fixtures.js';


/** The three shapes of one WasteContainer entity, logged at `loggedAt`, `fillingLevel` set. */
function inEveryShape(fillingLevel: number, loggedAt: string): Record<string, FiwareEntity> {
  return {
    'key-values': { ...containerExample('example.json'), fillingLevel, binLoggedTime: loggedAt },
    'NGSI-v2 normalized': { ...containerExample('example-normalized.json'), fillingLevel: { type: 'Number', value: fillingLevel }, binLoggedTime: { type: 'DateTime', value: loggedAt } },
    'NGSI-LD normalized': {
      ...containerExample('example-normalized.jsonld'),
      fillingLevel: { type: 'Property', value: fillingLevel },
      binLoggedTime: { type: 'Property', value: { '@type': 'DateTime', '@value': loggedAt } },
    },
  };
}

describe('waste ingest', () => {
  let kit: TestKernel;
  afterEach(async () => {
    expect(kit.deadLetters).toEqual([]);
    await kit.stop();
  });

  it('forecasts each bin from its readings: fill, rate, and when it passes its threshold', async () => {
    kit = await startTestKernel({ plugins: [{ plugin: wastePlugin, config: wasteConfig() }] });
    for (const reading of history('bin-1', 50, 5)) await kit.publish(waste.FillReported, reading);
    const status = await kit.request(waste.BinStatus, { binId: 'bin-1' });
    // 35, 40, 45, 50 % an hour apart: 5 %/h, 80 % six hours after the last reading.
    expect(status).toMatchObject({ found: true, fillPct: 50, observedAt: at(0), ratePctPerHour: 5, thresholdPct: 80, thresholdAt: at(6), capacityL: 240 });
    expect(await kit.request(waste.BinStatus, { binId: 'nowhere' })).toEqual({ found: false, binId: 'nowhere' });
    expect(kit.eventsOf(waste.ReadingRejected)).toEqual([]);
  });

  it.each(Object.entries(inEveryShape(0.42, at(0))))('takes a FIWARE WasteContainer in %s form: fillingLevel, binLoggedTime, binFullnessThreshold', async (_shape, entity) => {
    const config = wasteConfig({ bins: [bin(1, { fiwareId: FIWARE_EXAMPLE_ID, thresholdPct: 90 })] });
    kit = await startTestKernel({ plugins: [{ plugin: wastePlugin, config }] });
    await kit.publish(waste.ContainerObserved, { entity });
    await kit.expectNoEvent(waste.ReadingRejected, { within: 30 });
    const status = await kit.request(waste.BinStatus, { binId: 'bin-1' });
    // The entity's own threshold (80) replaces the configured 90.
    expect(status).toMatchObject({ found: true, fillPct: 42, observedAt: at(0), thresholdPct: 80 });
  });

  it('takes the Smart Data Model example as it is: no fill level, but its threshold', async () => {
    const config = wasteConfig({ bins: [bin(1, { fiwareId: FIWARE_EXAMPLE_ID, thresholdPct: 90 })] });
    kit = await startTestKernel({ plugins: [{ plugin: wastePlugin, config }] });
    await kit.publish(waste.ContainerObserved, { entity: containerExample('example-normalized.jsonld') });
    await kit.expectNoEvent(waste.ReadingRejected, { within: 30 });
    const status = await kit.request(waste.BinStatus, { binId: 'bin-1' });
    expect(status).toMatchObject({ found: true, thresholdPct: 80 });
    expect(status.fillPct).toBeUndefined();
  });

  it('finds a bin by an NGSI-LD id made of its own id, and keeps a non-ok status', async () => {
    kit = await startTestKernel({ plugins: [{ plugin: wastePlugin, config: wasteConfig() }] });
    // The model requires a location (GeoJSON: longitude first).
    const location = { type: 'Point', coordinates: [114.052, 22.54] };
    const entity = { id: 'urn:ngsi-ld:WasteContainer:bin-2', type: 'WasteContainer', location, fillingLevel: 0.3, status: 'lidOpen', dateModified: at(0) };
    await kit.publish(waste.ContainerObserved, { entity });
    await kit.expectNoEvent(waste.ReadingRejected, { within: 30 });
    expect(await kit.request(waste.BinStatus, { binId: 'bin-2' })).toMatchObject({ fillPct: 30, condition: 'lidOpen' });
  });

  it('raises an overflow once per filling, before any pickup, and again after the bin is emptied and fills up', async () => {
    kit = await startTestKernel({ plugins: [{ plugin: wastePlugin, config: wasteConfig() }] });
    for (const reading of history('bin-3', 96, 8)) await kit.publish(waste.FillReported, reading);
    const overflow = await kit.expectEvent(waste.BinOverflowed);
    expect(overflow.data).toEqual({ binId: 'bin-3', position: bin(3).position, fillPct: 96, observedAt: at(0) });
    await kit.clock.advance(HOUR);
    await kit.publish(waste.FillReported, fill('bin-3', 1, 98));
    await kit.expectNoEvent(waste.BinOverflowed, { within: 30, where: (event) => event.data.observedAt === at(1) });

    await kit.publish(waste.PickupReported, { truckId: 'truck-1', binId: 'bin-3', emptiedAt: at(1) });
    expect((await kit.expectEvent(waste.PickupConfirmed)).data).toEqual({ binId: 'bin-3', truckId: 'truck-1', emptiedAt: at(1), planned: false });
    await kit.clock.advance(5 * HOUR);
    for (const [hours, pct] of [[2, 30], [3, 60], [4, 80], [5, 97]] as const) await kit.publish(waste.FillReported, fill('bin-3', hours, pct));
    const again = await kit.expectEvent(waste.BinOverflowed, { where: (event) => event.data.observedAt === at(5) });
    expect(again.data.fillPct).toBe(97);
    expect(kit.eventsOf(waste.BinOverflowed)).toHaveLength(2);
  });

  it('does not take a lone wild reading for an overflow, but a confirmed one', async () => {
    kit = await startTestKernel({ plugins: [{ plugin: wastePlugin, config: wasteConfig() }] });
    for (const reading of history('bin-4', 40, 2, 6)) await kit.publish(waste.FillReported, reading);
    await kit.clock.advance(HOUR);
    await kit.publish(waste.FillReported, fill('bin-4', 1, 99)); // a bag held under the sensor
    await kit.expectNoEvent(waste.BinOverflowed, { within: 50 });
    expect(await kit.request(waste.BinStatus, { binId: 'bin-4' })).toMatchObject({ ratePctPerHour: 2 });
    // A second reading that high is no glitch: someone filled the bin to the brim.
    await kit.clock.advance(0.2 * HOUR);
    await kit.publish(waste.FillReported, fill('bin-4', 1.2, 98));
    expect((await kit.expectEvent(waste.BinOverflowed)).data).toMatchObject({ binId: 'bin-4', fillPct: 98, observedAt: at(1.2) });
  });
});
