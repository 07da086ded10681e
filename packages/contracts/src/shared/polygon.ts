import type { LatLon } from './distance.js';

/**
 * Whether a point lies inside a polygon given by its vertices in order (either winding, closed
 * implicitly), by the even-odd ray-casting rule on longitude and latitude. Treating degrees as a
 * plane is exact enough for city-sized areas away from the poles and the antimeridian; a point
 * exactly on an edge may fall on either side.
 */
export function pointInPolygon(point: LatLon, polygon: readonly LatLon[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    // The edge a-b crosses the horizontal line through the point, east of the point.
    if (a.lat > point.lat !== b.lat > point.lat && point.lon < ((b.lon - a.lon) * (point.lat - a.lat)) / (b.lat - a.lat) + a.lon) {
      inside = !inside;
    }
  }
  return inside;
}
