import { requireNumber } from './number-checks.js';

/**
 * A lane's demand from one detector's flow and occupancy, veh/h.
 *
 * A count is only a lower bound on demand: a detector counts the vehicles that pass it, and once
 * a queue stands over it (near capacity, or behind a red) the count saturates while demand does
 * not. Occupancy keeps rising instead, so the lane's demand is taken as at least the saturation
 * flow times the share of time the detector is occupied. In free flow occupancy is small
 * (600 veh/h at 50 km/h occupies a loop about 8 % of the time: 1800 x 0.08 = 144 < 600) and the
 * count decides; in a standing queue (say 60 % occupied while 700 veh/h creep past) the bound
 * decides (1800 x 0.6 = 1080), and Webster's method sees a saturated approach.
 *
 * @throws {TrafficInputError} for negative flows, occupancy outside 0..100 or a saturation flow <= 0.
 */
export function laneDemandVph(flowVph: number, occupancyPct: number, saturationFlowVph: number): number {
  requireNumber(flowVph, 'flowVph', { min: 0 });
  requireNumber(occupancyPct, 'occupancyPct', { min: 0, max: 100 });
  requireNumber(saturationFlowVph, 'saturationFlowVph', { above: 0 });
  return Math.max(flowVph, (saturationFlowVph * occupancyPct) / 100);
}
