import { environment } from '@polis/contracts';
import type { CloudEvent, EventData } from '@polis/plugin-api';
import { FakeClock, startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import environmentPlugin from './index.js';
import { CBD, HOUR, MADRID_OBSERVED, T0, fiwareExample, hourly, repairedExample, testConfig } from './test-fixtures.js';

type Reading = EventData<typeof environment.ReadingReported>;

let kit: TestKernel | undefined;
afterEach(async () => {
  expect(kit?.deadLetters ?? []).toEqual([]);
  await kit?.stop();
  kit = undefined;
});

const start = async (config = testConfig(), clock?: FakeClock) => (kit = await startTestKernel({ plugins: [{ plugin: environmentPlugin, config }], ...(clock && { clock }) }));

/** Publishes a reading and waits until environment has handled it (its index, or its rejection). */
async function feed(k: TestKernel, reading: Reading): Promise<CloudEvent<Reading>> {
  const published = await k.publish(environment.ReadingReported, reading);
  await k.expectEvent('environment.>', { where: (event) => event.causationid === published.id && (event.type === environment.AqiComputed.type || event.type === environment.ReadingRejected.type) });
  return published;
}

/** 23 clean hours (PM2.5 and NO2 at 20 ug/m3) ending at T0: NowCast and 24-hour averages have their history. */
async function cleanDay(k: TestKernel, stationId = 'st-cbd') {
  for (let h = 22; h >= 0; h--) await feed(k, hourly(stationId, T0 - h * HOUR, { pm25: 20, no2: 20 }));
}

const alertsOf = (k: TestKernel, scope: 'station' | 'zone') =>
  k.events.filter((event) => event.type.startsWith('environment.alert.') && (event.data as { scope: string }).scope === scope) as CloudEvent<{ severity?: string; aqi: number; alertId: string }>[];

describe('environment: indices and alerts', () => {
  it('alerts the station and its zone when a PM2.5 plume lifts the NowCast AQI to 189, under the reading\'s correlation id', async () => {
    const k = await start();
    await cleanDay(k);
    expect(k.eventsOf(environment.AlertRaised)).toEqual([]);

    await k.clock.advance(HOUR);
    const plume = await feed(k, hourly('st-cbd', T0 + HOUR, { pm25: 200 }));
    const computed = await k.expectEvent(environment.AqiComputed, { where: (event) => event.causationid === plume.id });
    // NowCast (200 + 20 x (1 - 0.5^11)) / (2 - 0.5^11) = 110.0 -> 189, Unhealthy; HJ 633's 24-hour mean 27.5 -> 39.
    expect(computed.data).toMatchObject({ stationId: 'st-cbd', usEpa: { aqi: 189, category: 'unhealthy', primaryPollutants: ['pm25'] }, hj633: { aqi: 39, level: 1 } });

    const raised = k.eventsOf(environment.AlertRaised);
    expect(raised.map((event) => event.data.scope)).toEqual(['station', 'zone']);
    const [station, zone] = raised;
    expect(station!.data).toEqual({
      alertId: 'AQ-st-cbd-20260101T090000',
      scope: 'station',
      subjectId: 'st-cbd',
      name: 'Futian CBD',
      area: { kind: 'circle', center: { lat: 22.535, lon: 114.056 }, radiusM: 1000 },
      standard: 'us-epa',
      aqi: 189,
      category: 'unhealthy',
      severity: 'medium',
      primaryPollutants: ['pm25'],
      observedAt: '2026-01-01T09:00:00.000Z',
    });
    expect(zone!.data).toMatchObject({ subjectId: 'cbd', area: { kind: 'polygon', points: CBD }, aqi: 189, severity: 'medium' });
    for (const event of raised) {
      expect(event.correlationid).toBe(plume.correlationid);
      expect(event.causationid).toBe(plume.id);
    }
  });

  it('re-grades an alert with the category and clears it only past the dead band, without flapping', async () => {
    const k = await start();
    // NO2 in ppb gives the AQI directly (Table 6, 1-hour NO2): 95 -> 95, 110 -> 103, 98 -> 98, 105 -> 102,
    // 400 -> 158, 300 -> 139, 250 -> 129, 88 -> 87, 80 -> 79.
    const no2 = [95, 110, 98, 105, 400, 300, 250, 88, 80];
    for (const [i, ppb] of no2.entries()) {
      await feed(k, { stationId: 'st-cbd', observedAt: new Date(T0 + i * HOUR).toISOString(), averagingS: 3600, measurements: { no2: { value: ppb, unit: 'ppb' } } });
      await k.clock.advance(HOUR);
    }
    expect(k.eventsOf(environment.AqiComputed).map((event) => event.data.usEpa?.aqi)).toEqual([95, 103, 98, 102, 158, 139, 129, 87, 79]);
    // Raised above 100; 98 and 102 stay low; medium above 150; 139 is within the band below 150 (> 135);
    // 129 steps down; 87 is within the band below 100 (> 85); 79 clears.
    expect(alertsOf(k, 'station').map((event) => [event.type, event.data.aqi, event.data.severity])).toEqual([
      ['environment.alert.raised', 103, 'low'],
      ['environment.alert.updated', 158, 'medium'],
      ['environment.alert.updated', 129, 'low'],
      ['environment.alert.cleared', 79, undefined],
    ]);
    const ids = new Set(alertsOf(k, 'station').map((event) => event.data.alertId));
    expect(ids).toEqual(new Set(['AQ-st-cbd-20260101T090000']));
    // The zone (the station is its only one) goes the same way, each step right after the station's.
    expect(k.eventsOf(environment.AlertUpdated).map((event) => [event.data.scope, event.data.previousSeverity])).toEqual([
      ['station', 'low'],
      ['zone', 'low'],
      ['station', 'medium'],
      ['zone', 'medium'],
    ]);
  });

  it('follows HJ 633 when the deployment says so: 1-hour NO2 of 750 ug/m3 is moderately polluted (IAQI 155)', async () => {
    const k = await start(testConfig({ alerts: { standard: 'hj633', stationAlerts: false } }));
    const reading = await feed(k, hourly('st-cbd', T0, { no2: 750 }));
    const raised = await k.expectEvent(environment.AlertRaised, { where: (event) => event.causationid === reading.id });
    // (200-150)/(1200-700) x (750-700) + 150 = 155.
    expect(raised.data).toMatchObject({ scope: 'zone', standard: 'hj633', aqi: 155, category: 'moderately-polluted', severity: 'medium', primaryPollutants: ['no2'] });
  });

  it("rates a zone by its worst station, and stops counting a station that has gone silent", async () => {
    const stations = [...(testConfig().stations as object[]), { id: 'st-cbd-2', name: 'Futian CBD east', position: { lat: 22.536, lon: 114.06 } }];
    const k = await start(testConfig({ stations, alerts: { standard: 'us-epa', stationAlerts: false, zoneStaleAfterS: 7200 } }));
    await feed(k, hourly('st-cbd-2', T0, { no2: 40 }));
    // 400 ppb at st-cbd: the zone is at 158 while its other station reads clean air.
    await feed(k, { stationId: 'st-cbd', observedAt: new Date(T0).toISOString(), averagingS: 3600, measurements: { no2: { value: 400, unit: 'ppb' } } });
    expect(k.eventsOf(environment.AlertRaised).map((event) => [event.data.subjectId, event.data.aqi])).toEqual([['cbd', 158]]);
    // st-cbd falls silent; st-cbd-2 keeps reporting clean air. Two hours later st-cbd no longer counts.
    for (let h = 1; h <= 3; h++) {
      await k.clock.advance(HOUR);
      await feed(k, hourly('st-cbd-2', T0 + h * HOUR, { no2: 40 }));
    }
    const cleared = k.eventsOf(environment.AlertCleared);
    expect(cleared.map((event) => [event.data.subjectId, event.data.observedAt])).toEqual([['cbd', new Date(T0 + 3 * HOUR).toISOString()]]);
  });

  it('lets a late reading fill the past without reporting on it, and uses it in the next index', async () => {
    const k = await start();
    await feed(k, hourly('st-cbd', T0, { pm25: 20, no2: 20 }));
    // Only one recent hour of PM2.5: no NowCast yet, so NO2 (20 ug/m3 = 10.6 ppb -> 9) is the US EPA index.
    expect(k.eventsOf(environment.AqiComputed)[0]!.data.usEpa).toMatchObject({ aqi: 9, primaryPollutants: ['no2'] });

    const late = await k.publish(environment.ReadingReported, hourly('st-cbd', T0 - HOUR, { pm25: 200 }));
    await k.expectNoEvent(environment.AqiComputed, { within: 50, where: (event) => event.causationid === late.id });
    await k.clock.advance(HOUR);
    const next = await feed(k, hourly('st-cbd', T0 + HOUR, { pm25: 20 }));
    // Hours 20, 20, 200 (most recent first), w = 0.1 -> 0.5: (20 + 10 + 50) / 1.75 = 45.7 ->
    // (150-101)/(55.4-35.5) x (45.7-35.5) + 101 = 126. Without the late hour it would be 20 -> 71.
    expect(k.eventsOf(environment.AqiComputed).find((event) => event.causationid === next.id)?.data.usEpa).toMatchObject({ aqi: 126, primaryPollutants: ['pm25'] });
  });
});

describe('environment: FIWARE AirQualityObserved', () => {
  const madridClock = () => new FakeClock(MADRID_OBSERVED + 30 * 60_000);

  it('ingests the NGSI-v2 and NGSI-LD normalized examples alike, and refuses their CO of 500 mg/m3 as out of range', async () => {
    const k = await start(testConfig(), madridClock());
    for (const file of ['example-normalized.json', 'example-normalized.jsonld']) {
      const event = await k.publish(environment.AirQualityObserved, { entity: repairedExample(file) });
      const computed = await k.expectEvent(environment.AqiComputed, { where: (e) => e.causationid === event.id });
      // NO2 69 ug/m3 = 36.7 ppb -> 36 -> 36/53 x 50 = 34; SO2 11 ug/m3 = 4.2 ppb -> 4 -> 6 (US EPA).
      // HJ 633 1-hour NO2 69 -> 34.5 -> 35, SO2 11 -> 3.7 -> 4.
      expect(computed.data, file).toMatchObject({ stationId: 'madrid', observedAt: '2016-03-15T11:00:00.000Z', usEpa: { aqi: 34 }, hj633: { aqi: 35, primaryPollutants: [] } });
      const rejected = k.eventsOf(environment.ReadingRejected).filter((e) => e.causationid === event.id);
      expect(rejected.map((e) => [e.data.code, e.data.path])).toEqual([['OUT_OF_RANGE', '/entity/co/value']]);
    }
  });

  it('refuses the published key-values example at publish: its own schema rejects tsp 73.3', async () => {
    const k = await start(testConfig(), madridClock());
    await expect(k.publish(environment.AirQualityObserved, { entity: fiwareExample('example.json') })).rejects.toMatchObject({
      code: 'POLIS_EVENT_INVALID',
      message: expect.stringContaining('/entity/tsp must be integer'),
    });
  });

  it('rejects the published normalized examples with a reason naming /tsp', async () => {
    const k = await start(testConfig(), madridClock());
    const event = await k.publish(environment.AirQualityObserved, { entity: fiwareExample('example-normalized.jsonld') });
    const rejected = await k.expectEvent(environment.ReadingRejected, { where: (e) => e.causationid === event.id });
    expect(rejected.data).toMatchObject({ source: 'environment.airquality.observed', ref: 'madrid', code: 'INVALID_ENTITY', reason: expect.stringContaining('/tsp must be integer') });
    expect(k.eventsOf(environment.AqiComputed)).toEqual([]);
  });
});
