import { waste } from '@polis/contracts';
import { ErrorCodes } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import wastePlugin from './index.js';
import { FIWARE_EXAMPLE_ID, at, bin, containerExample, fill, wasteConfig } from './test-fixtures.js';


describe('waste bad input', () => {
  let kit: TestKernel;
  beforeEach(async () => {
    const config = wasteConfig({ bins: [bin(1, { fiwareId: FIWARE_EXAMPLE_ID }), bin(2), bin(3)] });
    kit = await startTestKernel({ plugins: [{ plugin: wastePlugin, config }] });
  });
  afterEach(async () => {
    // Whatever came in, no handler failed and the plugin still runs.
    expect(kit.deadLetters).toEqual([]);
    expect(kit.kernel.plugin('waste')?.state).toBe('running');
    await kit.stop();
  });

  const rejections = () => kit.eventsOf(waste.ReadingRejected).map((event) => event.data);

  it('refuses each bad reading with a code and keeps every valid one of the same stream', async () => {
    const stream = [
      fill('bin-1', -2, 40),
      fill('bin-nowhere', 0, 50), // unknown bin
      fill('bin-1', -1, 45),
      fill('bin-2', 1, 30), // an hour ahead of now: a sensor with a wrong clock
      fill('bin-2', -72, 30), // three days old: a gateway replaying its buffer
      fill('bin-1', -1.5, 44), // before bin-1's latest
      fill('bin-1', 0, 50),
      fill('bin-1', 0, 50), // a redelivered duplicate: accepted, changes nothing
      fill('bin-1', 0, 51), // another value at the same time
      fill('bin-3', 0, 20),
    ];
    for (const reading of stream) await kit.publish(waste.FillReported, reading);
    await kit.expectEvent(waste.ReadingRejected, { where: (event) => event.data.code === 'OUT_OF_ORDER' && event.data.reason.includes('same time') });

    expect(rejections()).toEqual([
      { source: 'waste.fill.reported', ref: 'bin-nowhere', code: 'UNKNOWN_BIN', path: '/binId', reason: `unknown bin "bin-nowhere": not in the waste plugin's bins` },
      { source: 'waste.fill.reported', ref: 'bin-2', code: 'FUTURE_TIMESTAMP', path: '/observedAt', reason: `${at(1)} is later than now (${at(0)}) plus the allowed clock skew of 300 s` },
      { source: 'waste.fill.reported', ref: 'bin-2', code: 'STALE_TIMESTAMP', path: '/observedAt', reason: `${at(-72)} is more than 172800 s before now (${at(0)})` },
      { source: 'waste.fill.reported', ref: 'bin-1', code: 'OUT_OF_ORDER', path: '/observedAt', reason: `observed before the bin's latest reading (${at(-1)})` },
      { source: 'waste.fill.reported', ref: 'bin-1', code: 'OUT_OF_ORDER', path: '/observedAt', reason: `observed at the same time as the bin's latest reading (${at(0)})` },
    ]);
    // Nothing valid lost: bin-1 has its three good readings (40, 45, 50: 5 %/h), bin-3 its one.
    expect(await kit.request(waste.BinStatus, { binId: 'bin-1' })).toMatchObject({ fillPct: 50, observedAt: at(0), ratePctPerHour: 5 });
    expect(await kit.request(waste.BinStatus, { binId: 'bin-3' })).toMatchObject({ fillPct: 20 });
    expect((await kit.request(waste.BinStatus, { binId: 'bin-2' })).fillPct).toBeUndefined();
  });

  it('never lets a fill outside 0-100 % reach the plugin: the contract refuses it at publish, naming the path', async () => {
    for (const fillPct of [-3, 120]) {
      await expect(kit.publish(waste.FillReported, fill('bin-1', 0, fillPct))).rejects.toMatchObject({ code: ErrorCodes.EVENT_INVALID, message: expect.stringMatching(/\/fillPct must be/) });
    }
    await expect(kit.publish(waste.FillReported, { ...fill('bin-1', 0, 50), temperatureC: 900 })).rejects.toThrow(/\/temperatureC must be <= 200/);
    await kit.expectNoEvent('waste.>', { within: 20, where: (event) => event.source === 'waste' });
  });

  it('refuses FIWARE entities that break the model or physics, or that no bin is mapped to', async () => {
    const normalized = containerExample('example-normalized.json');
    const recent = { type: 'DateTime', value: at(0) };
    await kit.publish(waste.ContainerObserved, { entity: { ...normalized, binLoggedTime: recent, fillingLevel: { type: 'Number', value: 1.3 } } });
    await kit.publish(waste.ContainerObserved, { entity: { ...normalized, binLoggedTime: recent, fillingLevel: { type: 'Number', value: 0.5 }, binFullnessThreshold: { type: 'Number', value: 150 } } });
    await kit.publish(waste.ContainerObserved, { entity: { ...normalized, binLoggedTime: recent, fillingLevel: { type: 'Number', value: 0.5 }, temperature: { type: 'Number', value: 900 } } });
    // The example as published: logged in 2021, far too old to forecast from.
    await kit.publish(waste.ContainerObserved, { entity: { ...normalized, fillingLevel: { type: 'Number', value: 0.5 } } });
    await kit.publish(waste.ContainerObserved, { entity: { ...normalized, id: 'urn:ngsi-ld:WasteContainer:elsewhere' } });
    await kit.expectEvent(waste.ReadingRejected, { where: (event) => event.data.code === 'UNKNOWN_BIN' });

    expect(rejections()).toEqual([
      { source: 'waste.container.observed', ref: FIWARE_EXAMPLE_ID, code: 'INVALID_ENTITY', path: '/entity/fillingLevel', reason: 'not a valid FIWARE WasteContainer: /fillingLevel must be <= 1' },
      { source: 'waste.container.observed', ref: FIWARE_EXAMPLE_ID, code: 'OUT_OF_RANGE', path: '/entity/binFullnessThreshold', reason: 'a fullness threshold of 150 is outside 0-100 %' },
      { source: 'waste.container.observed', ref: FIWARE_EXAMPLE_ID, code: 'OUT_OF_RANGE', path: '/entity/temperature', reason: "a temperature of 900 C is outside what a bin's sensor reads (-60 to 200 C)" },
      { source: 'waste.container.observed', ref: FIWARE_EXAMPLE_ID, code: 'STALE_TIMESTAMP', path: '/entity/binLoggedTime', reason: `2021-03-01T10:21:02.000Z is more than 172800 s before now (${at(0)})` },
      {
        source: 'waste.container.observed',
        ref: 'urn:ngsi-ld:WasteContainer:elsewhere',
        code: 'UNKNOWN_BIN',
        path: '/entity/id',
        reason: 'unknown entity "urn:ngsi-ld:WasteContainer:elsewhere": no bin has it as its id or fiwareId',
      },
    ]);
    // Nothing of a refused entity was applied: the threshold of 150 and the fill levels are not there.
    expect(await kit.request(waste.BinStatus, { binId: 'bin-1' })).toMatchObject({ thresholdPct: 80 });
    expect((await kit.request(waste.BinStatus, { binId: 'bin-1' })).fillPct).toBeUndefined();
    // In key-values form the contract itself checks the model, at publish.
    await expect(kit.publish(waste.ContainerObserved, { entity: { ...containerExample('example.json'), fillingLevel: 1.3 } })).rejects.toThrow(/fillingLevel must be <= 1/);
  });

  it('refuses truck reports from unknown trucks, of unknown bins, or from the future', async () => {
    await kit.publish(waste.PickupReported, { truckId: 'truck-9', binId: 'bin-1', emptiedAt: at(0) });
    await kit.publish(waste.PickupReported, { truckId: 'truck-1', binId: 'bin-9', emptiedAt: at(0) });
    await kit.publish(waste.PickupReported, { truckId: 'truck-1', binId: 'bin-1', emptiedAt: at(2) });
    await kit.publish(waste.TruckReported, { truckId: 'truck-9', reportedAt: at(0), position: bin(1).position, status: 'driving' });
    // Pickup and truck reports are handled concurrently (one subscription each): their refusals
    // may interleave, so they are compared as a set, in order within each type.
    await vi.waitFor(() => expect(rejections()).toHaveLength(4));
    const refusals = (source: string) => rejections().filter((r) => r.source === source).map(({ code, path, ref }) => ({ code, path, ref }));
    expect(refusals('waste.pickup.reported')).toEqual([
      { code: 'UNKNOWN_TRUCK', path: '/truckId', ref: 'truck-9' },
      { code: 'UNKNOWN_BIN', path: '/binId', ref: 'bin-9' },
      { code: 'FUTURE_TIMESTAMP', path: '/emptiedAt', ref: 'bin-1' },
    ]);
    expect(refusals('waste.truck.reported')).toEqual([{ code: 'UNKNOWN_TRUCK', path: '/truckId', ref: 'truck-9' }]);
    expect(kit.eventsOf(waste.PickupConfirmed)).toEqual([]);
  });
});

describe('waste collection requests', () => {
  it('refuses a shift asked for more than a week ahead or long over, and plans nothing for it', async () => {
    const kit = await startTestKernel({ plugins: [{ plugin: wastePlugin, config: wasteConfig() }] });
    await kit.publish(waste.CollectionRequested, { requestId: 'far', shiftStart: at(24 * 8) });
    await kit.publish(waste.CollectionRequested, { requestId: 'over', shiftStart: at(-9) });
    await kit.expectEvent(waste.ReadingRejected, { where: (event) => event.data.ref === 'over' });
    expect(kit.eventsOf(waste.ReadingRejected).map(({ data }) => [data.ref, data.code, data.path])).toEqual([
      ['far', 'FUTURE_TIMESTAMP', '/shiftStart'],
      ['over', 'STALE_TIMESTAMP', '/shiftStart'],
    ]);
    expect(kit.eventsOf(waste.CollectionPlanned)).toEqual([]);
    await kit.stop();
  });
});

describe('waste configuration', () => {
  it('fails the plugin at setup with one error listing every problem', async () => {
    const config = wasteConfig({
      bins: [bin(1), bin(1), bin(2, { thresholdPct: 90, overflowPct: 85 })],
      trucks: [{ id: 'truck-1', depotId: 'nowhere', capacityL: 1000 }],
    });
    const kit = await startTestKernel({ plugins: [{ plugin: wastePlugin, config }], allowFailures: true });
    const [failure] = kit.report.failed;
    expect(failure).toMatchObject({ code: ErrorCodes.CONFIG_INVALID, plugin: 'waste' });
    expect(failure?.message).toContain('invalid waste configuration (3 problems)');
    for (const problem of ['bins[1].id: "bin-1" is already bins[0]', 'bins[2].overflowPct: 85 is below its thresholdPct 90', 'trucks[0].depotId: unknown depot "nowhere"']) {
      expect(failure?.message).toContain(problem);
    }
    await kit.stop();
  });
});
