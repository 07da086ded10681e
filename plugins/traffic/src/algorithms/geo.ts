import { requireNumber } from './number-checks.js';

/** Mean Earth radius (IUGG R1), metres: the usual sphere for great-circle distances. */
export const EARTH_MEAN_RADIUS_M = 6_371_008.8;

/** A WGS 84 position in decimal degrees. */
export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

const RAD_PER_DEG = Math.PI / 180;

/**
 * Great-circle distance between two points on a spherical Earth, by the haversine formula.
 * The sphere is within about 0.5 % of the ellipsoid, far closer than a road's length is to the
 * straight line between its ends, which is all the routing heuristic needs.
 *
 * @throws {TrafficInputError} when a latitude is outside [-90, 90] or a longitude outside [-180, 180].
 */
export function haversineM(a: LatLon, b: LatLon): number {
  for (const [name, point] of [['a', a], ['b', b]] as const) {
    requireNumber(point.lat, `${name}.lat`, { min: -90, max: 90 });
    requireNumber(point.lon, `${name}.lon`, { min: -180, max: 180 });
  }
  const sinHalfDLat = Math.sin(((b.lat - a.lat) * RAD_PER_DEG) / 2);
  const sinHalfDLon = Math.sin(((b.lon - a.lon) * RAD_PER_DEG) / 2);
  const h = sinHalfDLat ** 2 + Math.cos(a.lat * RAD_PER_DEG) * Math.cos(b.lat * RAD_PER_DEG) * sinHalfDLon ** 2;
  // Rounding can push h a hair above 1 for antipodal points, where asin would return NaN.
  return 2 * EARTH_MEAN_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
