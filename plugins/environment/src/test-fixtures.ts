import { readFileSync } from 'node:fs';
import type { FiwareEntity, environment } from '@polis/contracts';
import type { EventData } from '@polis/plugin-api';
import type { StationConfig } from './config.js';

/*
 * Test fixtures: two stations in Futian, Shenzhen, one inside the zone `cbd` and one north of it,
 * and the Madrid station of the FIWARE AirQualityObserved examples (Plaza de Espana, matched by the
 * examples' refPointOfInterest).
 */

/** The test kernel's clock starts here (the FakeClock default). */
export const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);
export const HOUR = 3_600_000;

export const CBD = [
  { lat: 22.53, lon: 114.05 },
  { lat: 22.53, lon: 114.062 },
  { lat: 22.54, lon: 114.062 },
  { lat: 22.54, lon: 114.05 },
];

export const MADRID_REF = '28079004-Pza.deEspanya';

/** The plugin's configuration; `overrides` replace top-level keys. */
export function testConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    stations: [
      { id: 'st-cbd', name: 'Futian CBD', position: { lat: 22.535, lon: 114.056 }, radiusM: 1000 },
      { id: 'st-north', name: 'Lianhua North', position: { lat: 22.552, lon: 114.05 } },
      {
        id: 'madrid',
        name: 'Plaza de Espana',
        position: { lat: 40.423852777777775, lon: -3.712247222222222 },
        fiwareRefs: [MADRID_REF],
        fiwareUnits: { no2: 'ug/m3', so2: 'ug/m3', co: 'mg/m3' },
      },
    ],
    zones: [{ id: 'cbd', name: 'Futian CBD zone', polygon: CBD }],
    alerts: { standard: 'us-epa' },
    ...overrides,
  };
}

type Reading = EventData<typeof environment.ReadingReported>;
type Measurements = Reading['measurements'];

/** An hourly reading ending at `atMs`, every value in ug/m3 unless a measurement says otherwise. */
export function hourly(stationId: string, atMs: number, values: Partial<Record<keyof Measurements, number>>): Reading {
  const measurements = Object.fromEntries(Object.entries(values).map(([pollutant, value]) => [pollutant, { value, unit: 'ug/m3' }])) as Measurements;
  return { stationId, observedAt: new Date(atMs).toISOString(), averagingS: 3600, measurements };
}

// The real FIWARE examples, beside the repository (CC BY 4.0, "FIWARE Smart Data Models,
// smart-data-models on GitHub"; see test/fixtures/smart-data-models/AirQualityObserved/SOURCE.txt).
const EXAMPLES = new URL('../../../test/fixtures/smart-data-models/AirQualityObserved/examples/', import.meta.url);

/** A FIWARE AirQualityObserved example as published: `example.json`, `example.jsonld`, `example-normalized.json(ld)`. */
export function fiwareExample(file: string): FiwareEntity & Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as FiwareEntity & Record<string, unknown>;
}

/** When the examples were observed (their dateObserved, 2016-03-15T11:00:00, read as UTC). */
export const MADRID_OBSERVED = Date.UTC(2016, 2, 15, 11, 0, 0);

/**
 * An example with its defects repaired, each in its shape's own syntax. The published examples
 * break their own schema in four ways: `tsp` is 73.3 where the schema says integer (all but
 * example.jsonld); dateObserved has no time zone, which RFC 3339 date-time requires (all four);
 * the NGSI-v2 example's `precipitation` is a Boolean where the schema says number; the NGSI-LD
 * normalized example's windDirection is 186 where the schema allows -180..180.
 */
export function repairedExample(file: string): FiwareEntity & Record<string, unknown> {
  const entity = fiwareExample(file);
  const repaired: Record<string, unknown> = { ...entity };
  const set = (key: string, value: unknown, type?: string) => {
    const attribute = entity[key];
    repaired[key] = attribute !== null && typeof attribute === 'object' ? { ...attribute, ...(type && { type }), value } : value;
  };
  set('dateObserved', '2016-03-15T11:00:00Z');
  if (entity['tsp'] !== undefined) set('tsp', 73);
  if ((entity['precipitation'] as { type?: string } | undefined)?.type === 'Boolean') set('precipitation', 0, 'Number');
  // 186 degrees is the same direction as -174, inside the schema's range.
  if ((entity['windDirection'] as { value?: number } | undefined)?.value === 186) set('windDirection', -174);
  return repaired as FiwareEntity & Record<string, unknown>;
}

/** The Madrid station with its defaults, as the kernel would resolve it. */
export const MADRID_STATION: StationConfig = {
  id: 'madrid',
  name: 'Plaza de Espana',
  position: { lat: 40.423852777777775, lon: -3.712247222222222 },
  radiusM: 1500,
  fiwareRefs: [MADRID_REF],
  fiwareUnits: { no2: 'ug/m3', so2: 'ug/m3', co: 'mg/m3' },
  fiwareAveragingS: 3600,
};
