import { Type, defineEvent } from '@polis/plugin-api';
import { fiwareEntityEventSchema } from '../fiware/fiware-entity.js';
import { GeoPoint, Id, Timestamp } from '../shared/geo.js';
import { rejectedInputFields } from '../shared/rejected-input.js';

/**
 * One lane detector's aggregate over a short interval (typically 20-60 s), as loop or radar
 * detectors report it. Published by field gateways or the simulator; consumed by traffic.
 */
export const DetectorReported = defineEvent({
  type: 'traffic.detector.reported',
  version: 1,
  description: 'A lane detector aggregate: flow, occupancy and mean speed over an interval.',
  schema: Type.Object({
    detectorId: Id,
    observedAt: Timestamp,
    intervalS: Type.Number({ exclusiveMinimum: 0, maximum: 3600, description: 'Aggregation interval, seconds' }),
    flowVph: Type.Number({ minimum: 0, maximum: 10_000, description: 'Flow, vehicles per hour (per lane)' }),
    occupancyPct: Type.Number({ minimum: 0, maximum: 100, description: 'Share of the interval the detector was occupied, %' }),
    speedKph: Type.Number({ minimum: 0, maximum: 300, description: 'Mean speed, km/h' }),
  }),
});

/**
 * How long each presence detector has seen no vehicle, reported every second or so by a field
 * controller or the simulator: what a signal needs to end a green whose queue has cleared
 * (gap-out). Separate from the interval aggregates, which incident detection counts in. Consumed by traffic.
 */
export const DetectorGaps = defineEvent({
  type: 'traffic.detector.gaps',
  version: 1,
  description: 'Seconds since each presence detector last saw a vehicle (0 while occupied), for gap-out.',
  schema: Type.Object({
    observedAt: Timestamp,
    gaps: Type.Array(Type.Object({ detectorId: Id, gapS: Type.Number({ minimum: 0, description: 'Seconds since a vehicle was last over the detector; 0 while occupied' }) }), { maxItems: 10_000 }),
  }),
});

/**
 * A FIWARE TrafficFlowObserved entity (Smart Data Models), in key-values form (validated here
 * against the real FIWARE schema) or NGSI-v2 / NGSI-LD normalized form (which the traffic plugin
 * converts to key-values and validates against the same schema). Published by NGSI broker
 * subscriptions or field gateways; consumed by traffic.
 */
export const TrafficFlowObserved = defineEvent({
  type: 'traffic.flow.observed',
  version: 1,
  description: 'A FIWARE TrafficFlowObserved entity, key-values or normalized.',
  schema: fiwareEntityEventSchema('TrafficFlowObserved'),
});

/** A reading the traffic plugin could not use, and why (unknown detector, invalid FIWARE entity). */
export const ReadingRejected = defineEvent({
  type: 'traffic.reading.rejected',
  version: 1,
  description: 'Input the traffic plugin refused: what it was, where the problem is, and why.',
  schema: Type.Object(rejectedInputFields('The detector or entity id it named')),
});

/**
 * An incident detected from detector data: a sudden speed drop with an occupancy spike against
 * the detector's rolling baseline. Published by traffic; public safety opens an incident.
 */
export const IncidentDetected = defineEvent({
  type: 'traffic.incident.detected',
  version: 1,
  description: 'Speed drop plus occupancy spike at a detector: a probable crash or blockage.',
  schema: Type.Object({
    detectionId: Id,
    detectorId: Id,
    linkId: Id,
    position: GeoPoint,
    detectedAt: Timestamp,
    baselineSpeedKph: Type.Number({ minimum: 0 }),
    speedKph: Type.Number({ minimum: 0 }),
    baselineOccupancyPct: Type.Number({ minimum: 0, maximum: 100 }),
    occupancyPct: Type.Number({ minimum: 0, maximum: 100 }),
  }),
});

/** A new fixed-time plan for one intersection from Webster's method. Published by traffic each cycle it changes. */
export const SignalRetimed = defineEvent({
  type: 'traffic.signal.retimed',
  version: 1,
  description: "Webster's optimal cycle and green splits for an intersection, from measured flows.",
  schema: Type.Object({
    intersectionId: Id,
    cycleS: Type.Number({ exclusiveMinimum: 0, description: 'Cycle length, seconds' }),
    greens: Type.Array(Type.Object({ phaseId: Id, greenS: Type.Number({ minimum: 0 }) })),
    flowRatioSum: Type.Number({ minimum: 0, description: 'Y, the sum of critical flow ratios' }),
    overCapacity: Type.Boolean({ description: 'Y >= 0.95: demand exceeds what any timing can serve' }),
  }),
});

const CorridorVehicle = Type.Union([Type.Literal('ambulance'), Type.Literal('fire'), Type.Literal('police')]);

/**
 * A request for a green corridor: an emergency vehicle will drive from `from` to `to`.
 * Published by public safety and healthcare; traffic plans it.
 */
export const CorridorRequested = defineEvent({
  type: 'traffic.corridor.requested',
  version: 1,
  priority: 'emergency',
  description: 'An emergency vehicle needs a green corridor between two points.',
  schema: Type.Object({
    corridorId: Id,
    vehicleId: Id,
    vehicleKind: CorridorVehicle,
    incidentId: Type.Optional(Id),
    from: GeoPoint,
    to: GeoPoint,
  }),
});

/** The corridor traffic will run: the route, the ETA at each signal and its pre-emption window. */
export const CorridorPlanned = defineEvent({
  type: 'traffic.corridor.planned',
  version: 1,
  priority: 'emergency',
  description: 'Route, ETAs and pre-emption windows of a green corridor.',
  schema: Type.Object({
    corridorId: Id,
    vehicleId: Id,
    nodes: Type.Array(Id, { description: 'Road network nodes in driving order' }),
    lengthM: Type.Number({ minimum: 0 }),
    travelTimeS: Type.Number({ minimum: 0 }),
    signals: Type.Array(
      Type.Object({
        intersectionId: Id,
        phaseId: Id,
        etaAt: Timestamp,
        windowStart: Timestamp,
        windowEnd: Timestamp,
      }),
    ),
  }),
});

/** No corridor could be planned (no route between the points), and why. */
export const CorridorFailed = defineEvent({
  type: 'traffic.corridor.failed',
  version: 1,
  priority: 'emergency',
  schema: Type.Object({ corridorId: Id, vehicleId: Id, reason: Type.String() }),
});

/** A signal switched to (and holds) the phase serving an emergency vehicle's approach. */
export const SignalPreempted = defineEvent({
  type: 'traffic.signal.preempted',
  version: 1,
  priority: 'emergency',
  schema: Type.Object({ corridorId: Id, intersectionId: Id, phaseId: Id, until: Timestamp }),
});

/** The vehicle has passed: the signal is back on its normal plan. */
export const SignalRestored = defineEvent({
  type: 'traffic.signal.restored',
  version: 1,
  schema: Type.Object({ corridorId: Id, intersectionId: Id }),
});
