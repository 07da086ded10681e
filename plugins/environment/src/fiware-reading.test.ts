import { describe, expect, it } from 'vitest';
import { readingFromFiware } from './fiware-reading.js';
import { checkReading } from './reading.js';
import { StationRegistry } from './stations.js';
import { MADRID_OBSERVED, MADRID_STATION, fiwareExample, repairedExample } from './test-fixtures.js';
import { DEFAULT_INPUT } from './config.js';

const stations = new StationRegistry({ stations: [MADRID_STATION], zones: [], input: DEFAULT_INPUT }, 'environment');

describe('readingFromFiware', () => {
  it('refuses the Smart Data Models examples, which break their own schema: tsp is 73.3 where the schema says integer', () => {
    for (const file of ['example-normalized.json', 'example-normalized.jsonld']) {
      const outcome = readingFromFiware(fiwareExample(file), stations);
      expect(outcome, file).toMatchObject({ ok: false, code: 'INVALID_ENTITY', reason: expect.stringContaining('/tsp must be integer') });
    }
    // With the other defects repaired (see repairedExample), tsp is the one left, and the path names it.
    const tspOnly = { ...repairedExample('example-normalized.json'), tsp: { type: 'Number', value: 73.3 } };
    expect(readingFromFiware(tspOnly, stations)).toEqual({
      ok: false,
      ref: 'madrid',
      path: '/entity/tsp',
      code: 'INVALID_ENTITY',
      reason: 'not a valid FIWARE AirQualityObserved: /tsp must be integer',
    });
  });

  it('makes the same reading from the NGSI-v2 and NGSI-LD normalized examples, units from their unitCode', () => {
    const [v2, ld] = ['example-normalized.json', 'example-normalized.jsonld'].map((file) => readingFromFiware(repairedExample(file), stations));
    // co 500 GP (mg/m3), no2 69 GQ (ug/m3), so2 11 GQ; no, nox, tsp and the rest are not index pollutants.
    const measurements = (shape: 'metadata/unitCode' | 'unitCode') => [
      { pollutant: 'no2', value: 69, unit: 'ug/m3', path: '/entity/no2/value', unitPath: `/entity/no2/${shape}` },
      { pollutant: 'so2', value: 11, unit: 'ug/m3', path: '/entity/so2/value', unitPath: `/entity/so2/${shape}` },
      { pollutant: 'co', value: 500, unit: 'mg/m3', path: '/entity/co/value', unitPath: `/entity/co/${shape}` },
    ];
    const reading = { stationId: 'madrid', observedAtMs: MADRID_OBSERVED, observedAtPath: '/entity/dateObserved', averagingS: 3600 };
    expect(v2).toEqual({ ok: true, station: MADRID_STATION, reading: { ...reading, measurements: measurements('metadata/unitCode') } });
    expect(ld).toEqual({ ok: true, station: MADRID_STATION, reading: { ...reading, measurements: measurements('unitCode') } });
  });

  it("takes a key-values entity's units from the station, since key-values carry none", () => {
    // example.jsonld is the key-values NGSI-LD example: no tsp, and an NGSI-LD refPointOfInterest URN.
    const outcome = readingFromFiware({ ...fiwareExample('example.jsonld'), dateObserved: '2016-03-15T11:00:00Z' }, stations);
    expect(outcome).toMatchObject({ ok: true, reading: { measurements: [{ pollutant: 'no2', unit: 'ug/m3', path: '/entity/no2', unitPath: '/entity/no2' }, { pollutant: 'so2' }, { pollutant: 'co', unit: 'mg/m3' }] } });
    const unconfigured = new StationRegistry({ stations: [{ ...MADRID_STATION, fiwareUnits: {} }], zones: [], input: DEFAULT_INPUT }, 'environment');
    const missing = readingFromFiware({ ...fiwareExample('example.jsonld'), dateObserved: '2016-03-15T11:00:00Z' }, unconfigured);
    expect(missing.ok && missing.reading.measurements[0]).toMatchObject({ unit: undefined, missingUnitReason: "key-values entities carry no units, and station 'madrid' has no fiwareUnits.no2" });
  });

  it("refuses the example's CO of 500 mg/m3 (437 ppm) as out of physical range, and keeps its NO2 and SO2", () => {
    const outcome = readingFromFiware(repairedExample('example-normalized.json'), stations);
    if (!outcome.ok) throw new Error(outcome.reason);
    const checked = checkReading(outcome.reading, MADRID_OBSERVED + 60_000, DEFAULT_INPUT);
    expect(checked).toMatchObject({
      ok: true,
      samples: [{ pollutant: 'no2', sample: { value: 69 } }, { pollutant: 'so2', sample: { value: 11 } }],
      rejections: [{ path: '/entity/co/value', code: 'OUT_OF_RANGE', reason: 'co 500 mg/m3 (436.7 ppm) is above the plausible maximum of 200 ppm: a sensor fault, not air' }],
    });
  });

  it('names an unknown unit code as unsupported', () => {
    const entity = { ...repairedExample('example-normalized.jsonld'), no2: { type: 'Property', value: 69, unitCode: 'KGM' } };
    const outcome = readingFromFiware(entity, stations);
    expect(outcome.ok && outcome.reading.measurements[0]).toMatchObject({ pollutant: 'no2', unit: undefined, unitText: 'KGM', unitPath: '/entity/no2/unitCode' });
  });

  it('refuses an entity no station is configured for, naming the references it tried', () => {
    const stranger = { ...repairedExample('example.json'), refPointOfInterest: 'elsewhere' };
    expect(readingFromFiware(stranger, stations)).toMatchObject({ ok: false, code: 'UNKNOWN_STATION', path: '/entity/id', reason: expect.stringContaining('"elsewhere"') });
  });

  it('refuses an entity with none of the six index pollutants', () => {
    const { co: _co, no2: _no2, so2: _so2, ...rest } = repairedExample('example-normalized.jsonld');
    expect(readingFromFiware(rest as typeof _co & never, stations)).toMatchObject({ ok: false, code: 'NO_MEASUREMENTS', path: '/entity' });
  });
});
