import { haversineM as greatCircleM } from '@polis/contracts';
import type { LatLon } from '@polis/contracts';
import { requireNumber } from './number-checks.js';

export type { LatLon };
export { EARTH_MEAN_RADIUS_M } from '@polis/contracts';

/**
 * Great-circle distance between two points (the contracts' haversine on the mean-radius sphere),
 * refusing coordinates off the globe: the network's data is checked where it is used. The sphere
 * is within about 0.5 % of the ellipsoid, far closer than a road's length is to the straight line
 * between its ends, which is all the routing heuristic needs.
 *
 * @throws {TrafficInputError} when a latitude is outside [-90, 90] or a longitude outside [-180, 180].
 */
export function haversineM(a: LatLon, b: LatLon): number {
  for (const [name, point] of [['a', a], ['b', b]] as const) {
    requireNumber(point.lat, `${name}.lat`, { min: -90, max: 90 });
    requireNumber(point.lon, `${name}.lon`, { min: -180, max: 180 });
  }
  return greatCircleM(a, b);
}

/** The initial compass bearing from `a` to `b`, degrees clockwise from north in [0, 360). */
export function bearingDeg(a: LatLon, b: LatLon): number {
  const toRad = Math.PI / 180;
  const y = Math.sin((b.lon - a.lon) * toRad) * Math.cos(b.lat * toRad);
  const x = Math.cos(a.lat * toRad) * Math.sin(b.lat * toRad) - Math.sin(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.cos((b.lon - a.lon) * toRad);
  return ((Math.atan2(y, x) / toRad) + 360) % 360;
}
