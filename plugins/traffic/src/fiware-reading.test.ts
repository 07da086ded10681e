import type { FiwareEntity } from '@polis/contracts';
import { describe, expect, it } from 'vitest';
import { readingFromFiware } from './fiware-reading.js';
import { FIWARE_EXAMPLE_ID, fiwareExample as example } from './test-fixtures.js';

const detectorOf = (entityId: string) => (entityId === FIWARE_EXAMPLE_ID ? 'd-1' : undefined);

describe('readingFromFiware', () => {
  it('makes the same reading from the key-values, NGSI-v2 normalized and NGSI-LD normalized examples', () => {
    const readings = ['example.json', 'example-normalized.json', 'example-normalized.jsonld'].map((file) => readingFromFiware(example(file), detectorOf));
    // 197 vehicles in the 5 minutes 11:10-11:15 are 197 x 12 = 2364 veh/h; occupancy 0.76 is 76 %.
    const expected = { detectorId: 'd-1', timeMs: Date.parse('2016-12-07T11:15:00Z'), flowVph: 2364, occupancyPct: 76, speedKph: 52.6, intervalS: 300 };
    for (const outcome of readings) expect(outcome).toEqual({ ok: true, reading: expected });
  });

  it('refuses an entity that breaks the FIWARE schema, naming the path, as a correct validator must', () => {
    const laneZero = { ...example('example-normalized.json'), laneId: { type: 'Number', value: 0 } };
    expect(readingFromFiware(laneZero, detectorOf)).toEqual({ ok: false, path: '/entity/laneId', reason: expect.stringMatching(/\/laneId must be >= 1/) });
    const fractionalLane = { ...example('example.json'), laneId: 1.5 };
    expect(readingFromFiware(fractionalLane, detectorOf)).toMatchObject({ ok: false, path: '/entity/laneId', reason: expect.stringMatching(/\/laneId must be integer/) });
    const overfull = { ...example('example-normalized.jsonld'), occupancy: { type: 'Property', value: 1.5 } };
    expect(readingFromFiware(overfull, detectorOf)).toMatchObject({ ok: false, path: '/entity/occupancy', reason: expect.stringMatching(/\/occupancy must be <= 1/) });
  });

  it('refuses an entity no detector is mapped to', () => {
    const stranger = { ...example('example.json'), id: 'TrafficFlowObserved-elsewhere' };
    expect(readingFromFiware(stranger, detectorOf)).toEqual({ ok: false, path: '/entity/id', reason: expect.stringMatching(/unknown entity "TrafficFlowObserved-elsewhere"/) });
  });

  it('needs an observation period to turn the vehicle count into a flow', () => {
    const { dateObservedFrom: _from, ...instant } = example('example.json');
    expect(readingFromFiware(instant as FiwareEntity, detectorOf)).toMatchObject({ ok: false, path: '/entity/dateObservedFrom', reason: expect.stringMatching(/vehicle count over the observation period/) });
    const empty = { ...example('example.json'), dateObservedFrom: '2016-12-07T11:15:00Z' };
    expect(readingFromFiware(empty, detectorOf)).toMatchObject({ ok: false, path: '/entity/dateObservedTo', reason: expect.stringMatching(/must not be empty/) });
  });

  it('needs the speed, which the schema leaves optional, to make a reading', () => {
    const { averageVehicleSpeed: _speed, ...speedless } = example('example.json');
    expect(readingFromFiware(speedless as FiwareEntity, detectorOf)).toEqual({ ok: false, path: '/entity/averageVehicleSpeed', reason: 'averageVehicleSpeed is required to make a detector reading' });
  });
});
