import { environment } from '@polis/contracts';
import { ErrorCodes } from '@polis/plugin-api';
import type { EventData } from '@polis/plugin-api';
import { FakeClock, startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import environmentPlugin from './index.js';
import { HOUR, MADRID_OBSERVED, T0, hourly, repairedExample, testConfig } from './test-fixtures.js';

type Reading = EventData<typeof environment.ReadingReported>;

describe('bad input', () => {
  let kit: TestKernel;
  beforeEach(async () => {
    kit = await startTestKernel({ plugins: [{ plugin: environmentPlugin, config: testConfig() }] });
  });
  afterEach(async () => {
    // Whatever came in, nothing crashed: no handler failed, and the plugin is still running.
    expect(kit.deadLetters).toEqual([]);
    expect(kit.kernel.plugin('environment')?.state).toBe('running');
    await kit.stop();
  });

  /** Publishes a reading and returns the first `count` rejections it caused. */
  const rejectionsOf = async (reading: Reading, count = 1) => {
    const published = await kit.publish(environment.ReadingReported, reading);
    let seen = 0;
    await kit.expectEvent(environment.ReadingRejected, { where: (event) => event.causationid === published.id && ++seen === count });
    return kit.eventsOf(environment.ReadingRejected).filter((event) => event.causationid === published.id).map((event) => event.data);
  };
  const indexOf = (readingId: string) => kit.eventsOf(environment.AqiComputed).find((event) => event.causationid === readingId);

  it('rejects a reading from an unknown station with a code, and keeps using the next valid one', async () => {
    expect(await rejectionsOf(hourly('st-nowhere', T0, { no2: 40 }))).toEqual([
      { source: 'environment.reading.reported', ref: 'st-nowhere', path: '/stationId', code: 'UNKNOWN_STATION', reason: 'unknown station "st-nowhere": not among the configured stations' },
    ]);
    const valid = await kit.publish(environment.ReadingReported, hourly('st-cbd', T0, { no2: 40 }));
    await kit.expectEvent(environment.AqiComputed, { where: (event) => event.causationid === valid.id });
  });

  it('refuses a measurement without a unit at publish, naming the path', async () => {
    const unitless = { ...hourly('st-cbd', T0, {}), measurements: { pm25: { value: 30 } } } as unknown as Reading;
    await expect(kit.publish(environment.ReadingReported, unitless)).rejects.toMatchObject({
      code: ErrorCodes.EVENT_INVALID,
      message: expect.stringContaining('/measurements/pm25/unit is required'),
    });
  });

  it('refuses pollutants and units the contract does not know, and empty or absurd readings, at publish', async () => {
    const refused = [
      { ...hourly('st-cbd', T0, {}), measurements: { pm1: { value: 3, unit: 'ug/m3' } } },
      { ...hourly('st-cbd', T0, {}), measurements: { pm25: { value: 3, unit: 'grains/ft3' } } },
      { ...hourly('st-cbd', T0, {}), measurements: {} },
      { ...hourly('st-cbd', T0, { pm25: 3 }), averagingS: 0 },
      { ...hourly('st-cbd', T0, { pm25: 3 }), observedAt: 'yesterday' },
      { ...hourly('st-cbd', T0, { pm25: 3 }), stationId: 'x'.repeat(10_000) },
      { ...hourly('st-cbd', T0, {}), measurements: { pm25: { value: '30', unit: 'ug/m3' } } },
    ];
    for (const reading of refused) {
      await expect(kit.publish(environment.ReadingReported, reading as unknown as Reading), JSON.stringify(reading).slice(0, 120)).rejects.toMatchObject({ code: ErrorCodes.EVENT_INVALID });
    }
    await kit.expectNoEvent('environment.>', { within: 20, where: (event) => event.source === 'environment' });
  });

  it('rejects an out-of-range measurement and keeps the valid ones of the same reading', async () => {
    const reading = hourly('st-cbd', T0, { pm25: 9000, no2: 40 });
    const published = await kit.publish(environment.ReadingReported, reading);
    const computed = await kit.expectEvent(environment.AqiComputed, { where: (event) => event.causationid === published.id });
    expect(computed.data.hj633?.subIndices.map((sub) => sub.pollutant)).toEqual(['no2']);
    expect(kit.eventsOf(environment.ReadingRejected).map((event) => [event.data.code, event.data.path, event.data.ref])).toEqual([['OUT_OF_RANGE', '/measurements/pm25/value', 'st-cbd']]);
  });

  it('rejects readings from the future and from the far past, naming /observedAt', async () => {
    expect(await rejectionsOf(hourly('st-cbd', T0 + 2 * HOUR, { no2: 40 }))).toMatchObject([{ path: '/observedAt', code: 'FUTURE_TIMESTAMP' }]);
    expect(await rejectionsOf(hourly('st-cbd', T0 - 30 * 24 * HOUR, { no2: 40 }))).toMatchObject([{ path: '/observedAt', code: 'STALE_TIMESTAMP' }]);
    expect(kit.eventsOf(environment.AqiComputed)).toEqual([]);
  });

  it('rejects a value that is not a finite number, which an in-process publisher can send past the contract', async () => {
    // JSON cannot carry NaN, but an in-process publish passes it to ajv, whose number type admits it.
    const rejections = await rejectionsOf({ ...hourly('st-cbd', T0, {}), measurements: { o3: { value: Number.NaN, unit: 'ppb' } } });
    expect(rejections).toMatchObject([{ path: '/measurements/o3/value', code: 'OUT_OF_RANGE', reason: 'o3 NaN ppb is not a finite number' }]);
    expect(kit.eventsOf(environment.AqiComputed)).toEqual([]);
  });

  it('rejects a unit that does not apply, and a negative concentration beyond instrument noise', async () => {
    const reading: Reading = {
      stationId: 'st-cbd',
      observedAt: new Date(T0).toISOString(),
      averagingS: 3600,
      measurements: { pm10: { value: 20, unit: 'ppb' }, so2: { value: -40, unit: 'ug/m3' } },
    };
    expect((await rejectionsOf(reading, 2)).map((data) => [data.code, data.path])).toEqual([
      ['UNSUPPORTED_UNIT', '/measurements/pm10/unit'],
      ['OUT_OF_RANGE', '/measurements/so2/value'],
    ]);
  });

  it("takes a missing unitCode from the station's fiwareUnits and rejects an unknown code, measurement by measurement", async () => {
    await kit.stop();
    kit = await startTestKernel({ plugins: [{ plugin: environmentPlugin, config: testConfig() }], clock: new FakeClock(MADRID_OBSERVED + 60_000) });
    const entity = { ...repairedExample('example-normalized.jsonld'), no2: { type: 'Property', value: 69 }, so2: { type: 'Property', value: 11, unitCode: 'XYZ' } };
    const published = await kit.publish(environment.AirQualityObserved, { entity });
    await kit.expectEvent(environment.AqiComputed, { where: (event) => event.causationid === published.id });
    // no2: no unitCode, and the station's fiwareUnits.no2 stands in (ug/m3); so2: an unknown code; co: out of range.
    expect(kit.eventsOf(environment.ReadingRejected).map((event) => [event.data.code, event.data.path])).toEqual([
      ['UNSUPPORTED_UNIT', '/entity/so2/unitCode'],
      ['OUT_OF_RANGE', '/entity/co/value'],
    ]);
    expect(kit.eventsOf(environment.AqiComputed)[0]?.data.hj633?.subIndices.map((sub) => sub.pollutant)).toEqual(['no2']);
  });

  it('loses nothing valid in a stream mixing good and bad readings', async () => {
    const good = Array.from({ length: 6 }, (_, h) => hourly('st-cbd', T0 - (5 - h) * HOUR, { no2: 40 + h }));
    const bad: Reading[] = [hourly('st-ghost', T0, { no2: 1 }), hourly('st-cbd', T0 + 5 * HOUR, { no2: 1 }), hourly('st-cbd', T0 - 3, { pm25: 99_999 })];
    const published = [];
    for (const [i, reading] of good.entries()) {
      published.push(await kit.publish(environment.ReadingReported, reading));
      if (bad[i] !== undefined) await kit.publish(environment.ReadingReported, bad[i]!);
    }
    for (const event of published) await kit.expectEvent(environment.AqiComputed, { where: (e) => e.causationid === event.id });
    expect(kit.eventsOf(environment.AqiComputed).map((event) => event.data.hj633?.subIndices[0]?.concentration)).toEqual([40, 41, 42, 43, 44, 45]);
    expect(kit.eventsOf(environment.ReadingRejected).map((event) => event.data.code)).toEqual(['UNKNOWN_STATION', 'FUTURE_TIMESTAMP', 'OUT_OF_RANGE']);
    expect(indexOf(published[5]!.id)?.data.observedAt).toBe(new Date(T0).toISOString());
  });
});

describe('configuration', () => {
  it('fails the plugin at setup with one error listing every problem', async () => {
    const stations = [
      { id: 'a', name: 'A', position: { lat: 22.5, lon: 114 }, fiwareRefs: ['dev-1'], fiwareUnits: { pm25: 'ppm' } },
      { id: 'a', name: 'A again', position: { lat: 22.6, lon: 114 } },
      { id: 'c', name: 'C', position: { lat: 22.7, lon: 114 }, fiwareRefs: ['urn:ngsi-ld:Device:dev-1'] },
    ];
    const zones = [{ id: 'z', name: 'Nowhere', polygon: [{ lat: 0, lon: 0 }, { lat: 0, lon: 1 }, { lat: 1, lon: 1 }] }, { id: 'y', name: 'Y', polygon: [{ lat: 0, lon: 0 }, { lat: 0, lon: 1 }, { lat: 1, lon: 1 }], stations: ['b'] }];
    const kit = await startTestKernel({ plugins: [{ plugin: environmentPlugin, config: { stations, zones } }], allowFailures: true });
    const [failure] = kit.report.failed;
    expect(failure).toMatchObject({ code: ErrorCodes.CONFIG_INVALID, plugin: 'environment' });
    for (const problem of [
      "stations[0].fiwareUnits.pm25: pm25 is a mass concentration, not ppm",
      "stations[1].id: station id 'a' appears twice",
      "stations[2].fiwareRefs: 'urn:ngsi-ld:Device:dev-1' is already station 'a'",
      "zones[0]: no station lies inside zone 'z'",
      "zones[1].stations: unknown station 'b'",
    ]) {
      expect(failure?.message).toContain(problem);
    }
    await kit.stop();
  });
});
