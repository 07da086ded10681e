import { environment, fiwareEntityValidator } from '@polis/contracts';
import type { FiwareEntity } from '@polis/contracts';
import type { RawMeasurement, RawReading, Rejection } from './reading.js';
import type { Station, StationRegistry } from './stations.js';

const { POLLUTANTS } = environment;
type ConcentrationUnit = environment.ConcentrationUnit;

const validateAirQualityObserved = fiwareEntityValidator('AirQualityObserved');

/**
 * UN/CEFACT Recommendation 20 common codes, the `unitCode` FIWARE attributes carry (the
 * AirQualityObserved specification names GQ and GP; 59 and 61 are the mixing ratios).
 */
const UNIT_CODES: Readonly<Record<string, ConcentrationUnit>> = { GQ: 'ug/m3', GP: 'mg/m3', '59': 'ppm', '61': 'ppb' };

/** A reading made from a FIWARE entity, or why none could be made. */
export type FiwareReadingOutcome =
  | { readonly ok: true; readonly station: Station; readonly reading: RawReading }
  | ({ readonly ok: false; readonly ref: string } & Rejection);

/**
 * Turns a FIWARE AirQualityObserved entity (key-values, NGSI-v2 or NGSI-LD normalized) into a
 * reading of a configured station. The station is found by the entity id, `refDevice` or
 * `refPointOfInterest` (an SDM observation id names the observation, not the station: Madrid's
 * example is `...-28079004-2016-03-15T11:00:00`). The entity is validated against the real
 * Smart Data Model first. Units come from each attribute's `unitCode` (NGSI-v2 metadata or
 * NGSI-LD property); key-values carry none, so the station's `fiwareUnits` supplies them.
 */
export function readingFromFiware(entity: FiwareEntity, stations: StationRegistry): FiwareReadingOutcome {
  const raw = entity as Readonly<Record<string, unknown>>;
  const refs = [entity.id, reference(raw['refDevice']), reference(raw['refPointOfInterest'])].filter((ref): ref is string => ref !== undefined);
  const station = stations.stationForFiware(refs);
  if (station === undefined) {
    return { ok: false, ref: entity.id, path: '/entity/id', code: 'UNKNOWN_STATION', reason: `no station is configured for ${refs.map((ref) => JSON.stringify(ref)).join(', ')}: list one of them in a station's fiwareRefs` };
  }
  const validation = validateAirQualityObserved(entity);
  if (!validation.ok) return { ok: false, ref: station.id, path: validation.path, code: 'INVALID_ENTITY', reason: validation.reason };

  const measurements: RawMeasurement[] = [];
  for (const pollutant of POLLUTANTS) {
    const value = validation.values[pollutant];
    if (typeof value !== 'number') continue;
    const attribute = raw[pollutant];
    const normalized = attribute !== null && typeof attribute === 'object';
    const path = `/entity/${pollutant}${normalized ? '/value' : ''}`;
    const { code, unitPath } = normalized ? unitCodeOf(attribute as Readonly<Record<string, unknown>>, pollutant) : { code: undefined, unitPath: `/entity/${pollutant}` };
    if (code !== undefined) {
      measurements.push({ pollutant, value, unit: UNIT_CODES[code], ...(UNIT_CODES[code] === undefined ? { unitText: code } : {}), path, unitPath });
    } else {
      const configured = station.fiwareUnits[pollutant];
      const missingUnitReason = normalized
        ? `the attribute has no unitCode, and station '${station.id}' has no fiwareUnits.${pollutant}`
        : `key-values entities carry no units, and station '${station.id}' has no fiwareUnits.${pollutant}`;
      measurements.push({ pollutant, value, unit: configured, path, unitPath, ...(configured === undefined ? { missingUnitReason } : {}) });
    }
  }
  if (measurements.length === 0) {
    return { ok: false, ref: station.id, path: '/entity', code: 'NO_MEASUREMENTS', reason: `the entity has none of ${POLLUTANTS.join(', ')}: nothing an air-quality index uses` };
  }
  // The model requires dateObserved, so a valid entity has one.
  const dateObserved = validation.values['dateObserved'] as string;
  return {
    ok: true,
    station,
    reading: { stationId: station.id, observedAtMs: Date.parse(dateObserved), observedAtPath: '/entity/dateObserved', averagingS: station.fiwareAveragingS, measurements },
  };
}

/** A relationship's target in any of the three shapes. */
function reference(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const target = (value as { object?: unknown; value?: unknown }).object ?? (value as { value?: unknown }).value;
    if (typeof target === 'string') return target;
  }
  return undefined;
}

/** NGSI-LD puts `unitCode` on the property; NGSI-v2 in `metadata.unitCode` (`{ value }` or a string). */
function unitCodeOf(attribute: Readonly<Record<string, unknown>>, pollutant: string): { readonly code: string | undefined; readonly unitPath: string } {
  if (typeof attribute['unitCode'] === 'string') return { code: attribute['unitCode'], unitPath: `/entity/${pollutant}/unitCode` };
  const metadata = attribute['metadata'] as Readonly<Record<string, unknown>> | undefined;
  const v2 = metadata?.['unitCode'];
  const code = typeof v2 === 'string' ? v2 : typeof (v2 as { value?: unknown } | undefined)?.value === 'string' ? (v2 as { value: string }).value : undefined;
  return { code, unitPath: `/entity/${pollutant}/${metadata === undefined ? 'unitCode' : 'metadata/unitCode'}` };
}
