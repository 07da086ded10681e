import { Type, defineQuery } from '@polis/plugin-api';
import { GeoPoint } from '../shared/geo.js';

/** Origins times destinations above this are refused: the answer must stay well inside the bus's event size limit. */
export const MAX_TRAVEL_TIME_ENTRIES = 40_000;

const Matrix = Type.Array(Type.Array(Type.Union([Type.Number({ minimum: 0 }), Type.Null()])), {
  description: '[origin][destination]; null where no road leads, or a point is off the network',
});

/**
 * Live travel times and driving lengths from every origin to every destination, on the road
 * network's current link speeds: the matrix a route planner (waste collection, deliveries) needs.
 * Points snap to their nearest node, as for `traffic.route.find`; the time and length between the
 * nodes is what the answer gives, and each point's snap distance says how far it lies off the
 * road, so a caller can add the kerbside leg its own way. Answered by traffic; requested by waste.
 */
export const TravelTimesFind = defineQuery({
  type: 'traffic.travel-times.find',
  version: 1,
  description: 'Live travel-time and length matrix between points.',
  request: Type.Object({
    origins: Type.Array(GeoPoint, { minItems: 1, maxItems: 2000 }),
    destinations: Type.Array(GeoPoint, { minItems: 1, maxItems: 2000 }),
  }),
  response: Type.Object({
    found: Type.Boolean({ description: 'false: the request was refused (see reason); the matrices are empty' }),
    travelTimesS: Matrix,
    lengthsM: Matrix,
    originSnapM: Type.Array(Type.Union([Type.Number({ minimum: 0 }), Type.Null()]), { description: 'Distance to the node each origin snapped to; null: off the network' }),
    destinationSnapM: Type.Array(Type.Union([Type.Number({ minimum: 0 }), Type.Null()])),
    reason: Type.Optional(Type.String()),
  }),
});
