import { Type, defineQuery } from '@polis/plugin-api';
import { GeoPoint, Id } from '../shared/geo.js';

/**
 * The fastest route between two points on live link travel times. Answered by traffic; public
 * safety and healthcare ask it to rank units by ETA. Points snap to the nearest network node.
 */
export const RouteFind = defineQuery({
  type: 'traffic.route.find',
  version: 1,
  description: 'Fastest route on live travel times between two points.',
  request: Type.Object({ from: GeoPoint, to: GeoPoint }),
  response: Type.Object({
    found: Type.Boolean(),
    nodes: Type.Array(Id),
    lengthM: Type.Number({ minimum: 0 }),
    travelTimeS: Type.Number({ minimum: 0, description: 'Live travel time, seconds' }),
    reason: Type.Optional(Type.String({ description: 'Why no route was found' })),
  }),
});
