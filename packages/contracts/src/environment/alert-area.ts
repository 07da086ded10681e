import { Type } from '@polis/plugin-api';
import type { Static } from '@polis/plugin-api';
import type { LatLon } from '../shared/distance.js';
import { haversineM } from '../shared/distance.js';
import { GeoPoint } from '../shared/geo.js';
import { pointInPolygon } from '../shared/polygon.js';

/**
 * Where an air-quality alert applies: a zone's polygon, or a circle around a station (the area the
 * station represents). Other domains find what they run inside it by position, with
 * {@link areaContains}, without knowing how the environment plugin defines its zones.
 */
export const AlertArea = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('polygon'),
      points: Type.Array(GeoPoint, { minItems: 3, maxItems: 1000, description: 'Vertices in order; the polygon closes itself' }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('circle'),
      center: GeoPoint,
      radiusM: Type.Number({ exclusiveMinimum: 0, maximum: 100_000, description: 'Radius, metres' }),
    },
    { additionalProperties: false },
  ),
]);
export type AlertArea = Static<typeof AlertArea>;

/** Whether a position lies within an alert's area. */
export function areaContains(area: AlertArea, point: LatLon): boolean {
  return area.kind === 'polygon' ? pointInPolygon(point, area.points) : haversineM(area.center, point) <= area.radiusM;
}
