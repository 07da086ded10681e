import { fiwareEntityValidator } from '@polis/contracts';
import type { FiwareEntity } from '@polis/contracts';
import type { DetectorReading } from './algorithms/incident-detector.js';

const validateTrafficFlowObserved = fiwareEntityValidator('TrafficFlowObserved');

const NGSI_LD_ID_PREFIX = 'urn:ngsi-ld:TrafficFlowObserved:';

/** Where in a `traffic.flow.observed` event each reading field comes from (JSON Pointers). */
export const FIWARE_READING_PATHS: Readonly<Record<keyof DetectorReading, string>> = {
  detectorId: '/entity/id',
  timeMs: '/entity/dateObservedTo',
  flowVph: '/entity/intensity',
  occupancyPct: '/entity/occupancy',
  speedKph: '/entity/averageVehicleSpeed',
  intervalS: '/entity/dateObservedFrom',
};

/** A detector reading made from a FIWARE entity, or why none could be made. */
export type FiwareReadingOutcome =
  | { readonly ok: true; readonly reading: DetectorReading }
  | { readonly ok: false; readonly path: string; readonly reason: string };

/**
 * Turns a FIWARE TrafficFlowObserved entity (key-values, NGSI-v2 or NGSI-LD normalized) into a
 * detector reading: `intensity` is a vehicle count over dateObservedFrom..dateObservedTo, so
 * flow = count x 3600 / period seconds; `occupancy` is a 0..1 fraction, so x 100 gives %;
 * `averageVehicleSpeed` is already km/h. The reading is timed at the end of the period, when
 * the count is complete.
 *
 * `detectorOf` maps entity ids to detector ids; an NGSI-LD id (`urn:ngsi-ld:TrafficFlowObserved:x`)
 * is also looked up as `x`, so one mapping serves a sensor in both NGSI flavours.
 */
export function readingFromFiware(entity: FiwareEntity, detectorOf: (entityId: string) => string | undefined): FiwareReadingOutcome {
  const detectorId = detectorOf(entity.id) ?? (entity.id.startsWith(NGSI_LD_ID_PREFIX) ? detectorOf(entity.id.slice(NGSI_LD_ID_PREFIX.length)) : undefined);
  if (detectorId === undefined) {
    return { ok: false, path: FIWARE_READING_PATHS.detectorId, reason: `unknown entity ${JSON.stringify(entity.id)}: no detector is mapped to it in fiwareDetectors` };
  }
  const validation = validateTrafficFlowObserved(entity);
  if (!validation.ok) return { ok: false, path: validation.path, reason: validation.reason };

  // The schema has checked every field that is present; these are the ones a reading needs.
  const { intensity, occupancy, averageVehicleSpeed, dateObservedFrom, dateObservedTo } = validation.values;
  if (typeof dateObservedFrom !== 'string' || typeof dateObservedTo !== 'string') {
    const path = typeof dateObservedFrom !== 'string' ? '/entity/dateObservedFrom' : FIWARE_READING_PATHS.timeMs;
    return { ok: false, path, reason: 'intensity is a vehicle count over the observation period: dateObservedFrom and dateObservedTo are both needed to make it a flow' };
  }
  const fromMs = Date.parse(dateObservedFrom);
  const toMs = Date.parse(dateObservedTo);
  if (!(toMs > fromMs)) {
    return { ok: false, path: FIWARE_READING_PATHS.timeMs, reason: `the observation period must not be empty: dateObservedTo ${dateObservedTo} is not after dateObservedFrom ${dateObservedFrom}` };
  }
  if (typeof intensity !== 'number') return missing('flowVph', 'intensity');
  if (typeof occupancy !== 'number') return missing('occupancyPct', 'occupancy');
  if (typeof averageVehicleSpeed !== 'number') return missing('speedKph', 'averageVehicleSpeed');
  const periodS = (toMs - fromMs) / 1000;
  return {
    ok: true,
    reading: {
      detectorId,
      timeMs: toMs,
      flowVph: (intensity * 3600) / periodS,
      occupancyPct: occupancy * 100,
      speedKph: averageVehicleSpeed,
      intervalS: periodS,
    },
  };
}

function missing(field: keyof DetectorReading, attribute: string): FiwareReadingOutcome {
  return { ok: false, path: FIWARE_READING_PATHS[field], reason: `${attribute} is required to make a detector reading` };
}
