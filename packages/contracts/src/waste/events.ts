import { Type, defineEvent } from '@polis/plugin-api';
import { fiwareEntityEventSchema } from '../fiware/fiware-entity.js';
import { GeoPoint, Id, Timestamp } from '../shared/geo.js';

/**
 * A bin sensor's fill level: ultrasonic or weight sensors on street bins report every few minutes
 * to an hour. Published by sensor gateways (or the demo's simulator) for bins that are not FIWARE
 * sources; consumed by waste. A level outside 0-100 % is refused by the schema at publish.
 */
export const FillReported = defineEvent({
  type: 'waste.fill.reported',
  version: 1,
  description: "A bin's measured fill level.",
  schema: Type.Object({
    binId: Id,
    observedAt: Timestamp,
    fillPct: Type.Number({ minimum: 0, maximum: 100, description: 'Share of the bin filled, %' }),
    weightKg: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000, description: 'Weight of the contents, kg' })),
    temperatureC: Type.Optional(Type.Number({ minimum: -60, maximum: 200, description: 'Temperature inside the bin, degrees C' })),
  }),
});

/**
 * A FIWARE WasteContainer entity (Smart Data Models), key-values (validated here against the real
 * model) or NGSI-v2 / NGSI-LD normalized (validated by waste after conversion). `fillingLevel`
 * (0..1) is the reading, timed by `dateObserved`, `binLoggedTime`, `timeInstant` or `dateModified`;
 * `binFullnessThreshold`, `binCapacity`, `cargoWeight`, `temperature`, `status` and
 * `dateLastEmptying` are used too. Published by NGSI broker subscriptions; consumed by waste.
 */
export const ContainerObserved = defineEvent({
  type: 'waste.container.observed',
  version: 1,
  description: 'A FIWARE WasteContainer entity, key-values or normalized.',
  schema: fiwareEntityEventSchema('WasteContainer'),
});

/** Stable codes of refused waste input, safe to match on. */
export const WasteRejectionCode = Type.Union([
  Type.Literal('UNKNOWN_BIN', { description: 'No bin of that id (or FIWARE entity id) is configured' }),
  Type.Literal('UNKNOWN_TRUCK', { description: 'No truck of that id is configured' }),
  Type.Literal('INVALID_ENTITY', { description: 'The FIWARE entity breaks its Smart Data Model' }),
  Type.Literal('FUTURE_TIMESTAMP', { description: 'Observed later than now plus the allowed clock skew' }),
  Type.Literal('STALE_TIMESTAMP', { description: 'Observed longer ago than the oldest reading waste accepts' }),
  Type.Literal('OUT_OF_ORDER', { description: "Observed before the bin's latest reading" }),
  Type.Literal('OUT_OF_RANGE', { description: 'A value outside what the quantity can physically be' }),
]);

/** Input the waste plugin refused: what it was, which bin or truck, where the problem is, why, and a stable code. */
export const ReadingRejected = defineEvent({
  type: 'waste.reading.rejected',
  version: 1,
  description: 'A bin reading, FIWARE entity or truck report that waste refused, with a code.',
  schema: Type.Object({
    source: Type.String({ description: 'The event type of the refused input' }),
    ref: Type.String({ description: 'The bin, entity or truck id it named' }),
    code: WasteRejectionCode,
    path: Type.String({ description: 'Where in the input the problem is (JSON Pointer)' }),
    reason: Type.String(),
  }),
});

const Stop = Type.Object({
  binId: Id,
  position: GeoPoint,
  etaAt: Timestamp,
  expectedFillPct: Type.Number({ minimum: 0, maximum: 100, description: 'Forecast fill when the truck arrives' }),
  expectedLoadL: Type.Number({ minimum: 0, description: 'Waste the truck expects to take, litres of bin volume' }),
});

const Route = Type.Object({
  routeId: Id,
  truckId: Id,
  depotId: Id,
  departAt: Timestamp,
  returnAt: Timestamp,
  drivingS: Type.Number({ minimum: 0, description: 'Driving time, depot to depot, seconds' }),
  durationS: Type.Number({ minimum: 0, description: 'Driving plus time at the bins, seconds' }),
  lengthM: Type.Number({ minimum: 0, description: 'Length driven, metres' }),
  loadL: Type.Number({ minimum: 0, description: 'Expected load, litres of bin volume' }),
  capacityL: Type.Number({ exclusiveMinimum: 0 }),
  stops: Type.Array(Stop, { minItems: 1 }),
});

const Deferred = Type.Object({
  binId: Id,
  reason: Type.String({ description: 'Why no truck takes the bin this shift (fleet full, unreachable, ...)' }),
});

/**
 * The shift's collection routes: the bins forecast to pass their threshold before the next shift,
 * as a capacitated vehicle routing plan over live road travel times. Each truck drives at most one
 * route, within its capacity and shift. Published by waste before each shift starts (and again
 * when asked to replan); trucks' in-cab systems follow it.
 */
export const CollectionPlanned = defineEvent({
  type: 'waste.collection.planned',
  version: 1,
  description: "A shift's collection routes: trucks, stops in order with ETAs, and the bins deferred.",
  schema: Type.Object({
    planId: Id,
    requestId: Type.Optional(Id),
    shiftStart: Timestamp,
    shiftEnd: Timestamp,
    routes: Type.Array(Route),
    deferred: Type.Array(Deferred),
    travelTimes: Type.Union([Type.Literal('live'), Type.Literal('estimated')], {
      description: "live: from traffic's road network; estimated: straight-line, because traffic did not answer",
    }),
    solver: Type.Object({
      seed: Type.Integer(),
      iterations: Type.Integer({ minimum: 0 }),
      stoppedBy: Type.Union([Type.Literal('iterations'), Type.Literal('time'), Type.Literal('aborted')]),
      elapsedMs: Type.Number({ minimum: 0 }),
      drivingS: Type.Number({ minimum: 0, description: 'Total driving time of the plan' }),
      constructionDrivingS: Type.Number({ minimum: 0, description: 'Total driving time of the Clarke-Wright plan it improved' }),
    }),
  }),
});

/**
 * A request for a collection shift now, outside the daily schedule (after a market day, a
 * festival, a storm). Published by operators' tools or the demo; waste plans it like a scheduled
 * shift and answers with `waste.collection.planned` under the request's correlation id.
 */
export const CollectionRequested = defineEvent({
  type: 'waste.collection.requested',
  version: 1,
  description: 'Plan a collection shift starting at a given time.',
  schema: Type.Object({
    requestId: Id,
    shiftStart: Timestamp,
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  }),
});

/** A truck's position during its shift (telematics). Published by trucks; consumed by waste. */
export const TruckReported = defineEvent({
  type: 'waste.truck.reported',
  version: 1,
  description: "A collection truck's position.",
  schema: Type.Object({
    truckId: Id,
    reportedAt: Timestamp,
    position: GeoPoint,
    /** `returned`: back at the depot, the route is over. */
    status: Type.Union([Type.Literal('driving'), Type.Literal('collecting'), Type.Literal('returned')]),
  }),
});

/** A truck emptied a bin (the lift arm's or the crew's report). Published by trucks; consumed by waste. */
export const PickupReported = defineEvent({
  type: 'waste.pickup.reported',
  version: 1,
  description: 'A truck reports it emptied a bin.',
  schema: Type.Object({
    truckId: Id,
    binId: Id,
    emptiedAt: Timestamp,
    weightKg: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000 })),
  }),
});

/** Waste confirms a bin emptied: its fill forecast restarts from zero. `planned` tells whether it was a stop of the truck's route. */
export const PickupConfirmed = defineEvent({
  type: 'waste.pickup.confirmed',
  version: 1,
  description: 'A bin emptied, confirmed against the plan.',
  schema: Type.Object({
    binId: Id,
    truckId: Id,
    emptiedAt: Timestamp,
    planned: Type.Boolean(),
    planId: Type.Optional(Id),
    routeId: Type.Optional(Id),
    minutesLate: Type.Optional(Type.Number({ description: 'Emptied this long after the planned ETA (negative: early)' })),
  }),
});

/** A route is over: the truck returned. Bins it did not empty are planned again with the next shift. */
export const RouteCompleted = defineEvent({
  type: 'waste.route.completed',
  version: 1,
  description: 'A truck finished its route: which stops it emptied and which it missed.',
  schema: Type.Object({
    planId: Id,
    routeId: Id,
    truckId: Id,
    completedAt: Timestamp,
    emptied: Type.Integer({ minimum: 0 }),
    missed: Type.Array(Id),
  }),
});

/**
 * A bin is full to overflowing before a truck emptied it: litter, smell and pests follow. For other
 * domains: citizen services can expect (and link) complaints, environment and sanitation can send
 * street cleaning, mobility can warn of a blocked pavement. Raised once per filling, when a reading
 * reaches the bin's overflow level; `plannedPickupAt` says whether a truck is already on its way.
 */
export const BinOverflowed = defineEvent({
  type: 'waste.bin.overflowed',
  version: 1,
  description: 'A bin overflowed before its pickup.',
  schema: Type.Object({
    binId: Id,
    position: GeoPoint,
    fillPct: Type.Number({ minimum: 0, maximum: 100 }),
    observedAt: Timestamp,
    wasteKind: Type.Optional(Type.String()),
    planId: Type.Optional(Id),
    plannedPickupAt: Type.Optional(Timestamp),
  }),
});
