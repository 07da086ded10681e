import { requireNumber } from './number-checks.js';

/** One lane's detector aggregate. */
export interface LaneMeasurement {
  readonly flowVph: number;
  readonly speedKph: number;
  readonly occupancyPct: number;
}

/** Effective length of a vehicle over a loop (vehicle plus detector), metres: the usual 5 m car and 1.5 m loop. */
export const DEFAULT_EFFECTIVE_VEHICLE_LENGTH_M = 6.5;
/** Below this a lane's speed says "stopped", and its density comes from occupancy instead of flow / speed. */
const CRAWL_KPH = 5;

/**
 * The space-mean speed of a link from its lanes: total flow over total density, v = sum q / sum k.
 * That is the harmonic, flow-weighted mean of the lanes' speeds (k = q / v), which is what a
 * link's travel time needs: an arithmetic mean over-weights fast lanes. A lane that has stopped
 * carries no flow but all the more vehicles, so its density comes from occupancy
 * (k = occupancy / effective vehicle length) and it drags the link's speed down.
 *
 * Worked example: lanes at 1200 veh/h and 60 km/h (20 veh/km) and 300 veh/h at 30 km/h
 * (10 veh/km): 1500 / 30 = 50 km/h, against an arithmetic mean of 45 km/h.
 *
 * Undefined when the lanes hold no vehicles at all (no flow, no occupancy): nothing is known.
 *
 * @throws {TrafficInputError} for negative or non-finite values.
 */
export function spaceMeanSpeedKph(lanes: readonly LaneMeasurement[], effectiveVehicleLengthM = DEFAULT_EFFECTIVE_VEHICLE_LENGTH_M): number | undefined {
  requireNumber(effectiveVehicleLengthM, 'effectiveVehicleLengthM', { above: 0 });
  let flow = 0;
  let density = 0;
  lanes.forEach((lane, i) => {
    requireNumber(lane.flowVph, `lanes[${i}].flowVph`, { min: 0 });
    requireNumber(lane.speedKph, `lanes[${i}].speedKph`, { min: 0 });
    requireNumber(lane.occupancyPct, `lanes[${i}].occupancyPct`, { min: 0, max: 100 });
    flow += lane.flowVph;
    // veh/km: q / v while moving; occupancy share / (effective length in km) when stopped.
    density += lane.speedKph >= CRAWL_KPH ? lane.flowVph / lane.speedKph : (lane.occupancyPct / 100) / (effectiveVehicleLengthM / 1000);
  });
  return density === 0 ? undefined : flow / density;
}
