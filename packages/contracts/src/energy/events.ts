import { Type, defineEvent } from '@polis/plugin-api';
import type { Static } from '@polis/plugin-api';
import { fiwareEntityEventSchema } from '../fiware/fiware-entity.js';
import { GeoPoint, Id, Timestamp } from '../shared/geo.js';

/**
 * Who charges first when a feeder cannot serve everyone, highest first: the emergency fleet
 * (ambulances, fire, police), transit buses, taxis and ride-hailing, then private cars.
 */
export const PRIORITY_CLASSES = ['emergency', 'transit', 'taxi', 'private'] as const;

/** One of {@link PRIORITY_CLASSES}. */
export const PriorityClass = Type.Union(
  PRIORITY_CLASSES.map((name) => Type.Literal(name)),
  { description: 'Charging priority class: emergency > transit > taxi (taxis and ride-hailing) > private' },
);

/** One of {@link PRIORITY_CLASSES}. */
export type PriorityClass = Static<typeof PriorityClass>;

const Kw = (description: string) => Type.Number({ minimum: 0, description: `${description}, kW` });

/** OCPP 1.6 ChargePointStatus (StatusNotification.req `status`). */
const ConnectorStatus = Type.Union(
  (['Available', 'Preparing', 'Charging', 'SuspendedEVSE', 'SuspendedEV', 'Finishing', 'Reserved', 'Unavailable', 'Faulted'] as const).map((status) => Type.Literal(status)),
);

/** OCPP 1.6 StopTransaction.req `reason` (Local when the charge point sent none). */
const StopReason = Type.Union(
  (['EmergencyStop', 'EVDisconnected', 'HardReset', 'Local', 'Other', 'PowerLoss', 'Reboot', 'Remote', 'SoftReset', 'UnlockCommand', 'DeAuthorized'] as const).map((reason) => Type.Literal(reason)),
);

/** An ISO 8601 duration as OpenADR 3 writes them (`PT2H`, `PT90M`, `P1DT30M`, `PT0.5S`). */
export const IsoDuration = Type.String({
  pattern: '^P(?=\\d|T\\d)(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$',
  description: 'ISO 8601 duration in days, hours, minutes and seconds, e.g. PT2H',
});

// ---------------------------------------------------------------------------------------------
// The central system and its chargers (OCPP 1.6-J)
// ---------------------------------------------------------------------------------------------

/** The plugin's OCPP 1.6-J central system accepts charge points at this WebSocket URL. */
export const CentralSystemOpened = defineEvent({
  type: 'energy.central-system.opened',
  version: 1,
  description: 'The OCPP central system is listening; charge points connect to <url>/<chargePointId>.',
  schema: Type.Object({
    url: Type.String({ description: 'ws:// URL of the endpoint; a charge point appends its identity' }),
    port: Type.Integer({ minimum: 1, maximum: 65_535 }),
    protocols: Type.Array(Type.String(), { description: 'WebSocket subprotocols served, e.g. ocpp1.6' }),
  }),
});

/** A charge point connected and its BootNotification was accepted. */
export const ChargerConnected = defineEvent({
  type: 'energy.charger.connected',
  version: 1,
  description: 'A charge point booted and was accepted by the central system.',
  schema: Type.Object({
    chargerId: Id,
    hubId: Id,
    feederId: Id,
    vendor: Type.String(),
    model: Type.String(),
    serialNumber: Type.Optional(Type.String()),
    firmwareVersion: Type.Optional(Type.String()),
    connectors: Type.Integer({ minimum: 1 }),
    at: Timestamp,
  }),
});

/** A charge point's WebSocket closed. Its sessions keep the last limits it accepted (OCPP profiles persist offline). */
export const ChargerDisconnected = defineEvent({
  type: 'energy.charger.disconnected',
  version: 1,
  schema: Type.Object({
    chargerId: Id,
    at: Timestamp,
    reason: Type.String(),
    openSessions: Type.Array(Id, { description: 'Sessions still open on it, held at their last accepted limit' }),
  }),
});

/** A connector's OCPP status changed (StatusNotification). */
export const ConnectorStatusChanged = defineEvent({
  type: 'energy.connector.status-changed',
  version: 1,
  schema: Type.Object({
    chargerId: Id,
    connectorId: Type.Integer({ minimum: 0, description: '0 is the charge point as a whole' }),
    status: ConnectorStatus,
    errorCode: Type.String({ description: 'OCPP ChargePointErrorCode, NoError when all is well' }),
    info: Type.Optional(Type.String()),
    at: Timestamp,
  }),
});

/**
 * A FIWARE EVChargingStation entity (Smart Data Models), key-values or NGSI-v2 / NGSI-LD
 * normalized: station metadata (name, position, capacity, status, allowed vehicles) for a hub.
 */
export const StationObserved = defineEvent({
  type: 'energy.station.observed',
  version: 1,
  description: 'A FIWARE EVChargingStation entity, key-values or normalized.',
  schema: fiwareEntityEventSchema('EVChargingStation'),
});

/** Input mobility-energy refused: what it was, where the problem is, and why. */
export const InputRejected = defineEvent({
  type: 'energy.input.rejected',
  version: 1,
  schema: Type.Object({
    source: Type.String({ description: 'The event type of the refused input' }),
    ref: Type.String({ description: 'The entity, vehicle or session it named' }),
    path: Type.String({ description: 'Where in the input the problem is (JSON Pointer)' }),
    reason: Type.String(),
  }),
});

// ---------------------------------------------------------------------------------------------
// Charging sessions
// ---------------------------------------------------------------------------------------------

/** A transaction started on a connector (OCPP StartTransaction), in its priority class. */
export const SessionStarted = defineEvent({
  type: 'energy.session.started',
  version: 1,
  description: 'A charging session began; it is allocated power from the next cycle on.',
  schema: Type.Object({
    sessionId: Id,
    chargerId: Id,
    connectorId: Type.Integer({ minimum: 1 }),
    transactionId: Type.Integer({ description: 'The OCPP transactionId the central system assigned' }),
    hubId: Id,
    feederId: Id,
    idTag: Type.String({ maxLength: 20 }),
    vehicleId: Type.Optional(Id),
    class: PriorityClass,
    authorized: Type.Boolean({ description: 'False when the idTag was not accepted: the session gets no power' }),
    meterStartWh: Type.Integer(),
    startedAt: Timestamp,
  }),
});

/** What a session's meter reported (OCPP MeterValues): energy so far, power now, state of charge. */
export const SessionMetered = defineEvent({
  type: 'energy.session.metered',
  version: 1,
  schema: Type.Object({
    sessionId: Id,
    at: Timestamp,
    energyWh: Type.Number({ minimum: 0, description: 'Delivered since the session started, Wh' }),
    powerKw: Type.Optional(Kw('Active import power')),
    socPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  }),
});

/** A session ended (OCPP StopTransaction). */
export const SessionStopped = defineEvent({
  type: 'energy.session.stopped',
  version: 1,
  schema: Type.Object({
    sessionId: Id,
    chargerId: Id,
    vehicleId: Type.Optional(Id),
    energyWh: Type.Number({ minimum: 0, description: 'Delivered over the session, Wh' }),
    reason: StopReason,
    stoppedAt: Timestamp,
  }),
});

/** Someone (an operator, an app) asks for a session to be stopped; the central system sends RemoteStopTransaction. */
export const SessionStopRequested = defineEvent({
  type: 'energy.session.stop-requested',
  version: 1,
  schema: Type.Object({ sessionId: Id, reason: Type.String({ maxLength: 500 }) }),
});

/** A session was moved to a higher priority class than its vehicle's own, and why. */
export const SessionPrioritized = defineEvent({
  type: 'energy.session.prioritized',
  version: 1,
  schema: Type.Object({
    sessionId: Id,
    vehicleId: Id,
    class: PriorityClass,
    previousClass: PriorityClass,
    reason: Type.String(),
  }),
});

// ---------------------------------------------------------------------------------------------
// Fleet vehicles
// ---------------------------------------------------------------------------------------------

/**
 * A fleet vehicle's state from its telematics: state of charge, and optionally when it must
 * leave with how much charge (a deadline for its session) and which hub it is driving to.
 */
export const VehicleReported = defineEvent({
  type: 'energy.vehicle.reported',
  version: 1,
  description: "A vehicle's state of charge, departure need and destination hub.",
  schema: Type.Object({
    vehicleId: Id,
    at: Timestamp,
    socPct: Type.Number({ minimum: 0, maximum: 100, description: 'State of charge, %' }),
    batteryKwh: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Usable battery capacity, kWh' })),
    departAt: Type.Optional(Timestamp),
    targetSocPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'State of charge needed at departAt, %' })),
    position: Type.Optional(GeoPoint),
    headingToHubId: Type.Optional(Id),
  }),
});

/** A vehicle's next charging will be in a higher class (an ambulance back from a mission), and why. */
export const VehiclePrioritized = defineEvent({
  type: 'energy.vehicle.prioritized',
  version: 1,
  schema: Type.Object({
    vehicleId: Id,
    class: PriorityClass,
    reason: Type.String(),
    incidentId: Type.Optional(Id),
    readySocPct: Type.Number({ minimum: 0, maximum: 100, description: 'The state of charge its next mission needs, %' }),
  }),
});

/** A traffic incident is near a charging hub: arriving vehicles are warned from now until `until`. */
export const HubDisrupted = defineEvent({
  type: 'energy.hub.disrupted',
  version: 1,
  schema: Type.Object({
    hubId: Id,
    detectionId: Id,
    linkId: Id,
    position: GeoPoint,
    distanceM: Type.Number({ minimum: 0, description: 'From the hub to the incident, metres' }),
    until: Timestamp,
  }),
});

/** A vehicle heading to a disrupted hub was warned, with the nearest undisturbed hub that has room. */
export const VehicleWarned = defineEvent({
  type: 'energy.vehicle.warned',
  version: 1,
  schema: Type.Object({
    vehicleId: Id,
    hubId: Id,
    detectionId: Id,
    reason: Type.String(),
    alternativeHubId: Type.Optional(Id),
    at: Timestamp,
  }),
});

// ---------------------------------------------------------------------------------------------
// The grid: feeders, allocations, demand response
// ---------------------------------------------------------------------------------------------

/** A feeder's or transformer's capacity changed (grid operator, SCADA, thermal rating). */
export const GridLimitChanged = defineEvent({
  type: 'energy.grid.limit-changed',
  version: 1,
  schema: Type.Object({
    assetId: Id,
    limitKw: Kw('New capacity'),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  }),
});

const AllocatedSession = Type.Object({
  sessionId: Id,
  vehicleId: Type.Optional(Id),
  class: PriorityClass,
  kw: Kw('Power limit sent to the charger'),
  paused: Type.Boolean({ description: "True when its minimum current did not fit: the charger's limit is 0" }),
});

const DeadlineAtRisk = Type.Object({
  sessionId: Id,
  departAt: Timestamp,
  neededKwh: Type.Number({ minimum: 0 }),
  shortfallKwh: Type.Number({ minimum: 0, description: 'Short at departure if nothing changes' }),
  reason: Type.Union([Type.Literal('charger-max'), Type.Literal('capacity')], {
    description: 'charger-max: even the maximum rate is too slow; capacity: the feeder cannot give the rate now',
  }),
});

/**
 * A feeder's new allocation: the power limit of each session on it, what it adds up to against
 * the feeder's limit (and its cap during demand response), and the deadlines it cannot meet.
 * Published per feeder, when its allocation changed.
 */
export const AllocationChanged = defineEvent({
  type: 'energy.allocation.changed',
  version: 1,
  description: 'Per-session power limits on one feeder, and the deadlines at risk.',
  schema: Type.Object({
    feederId: Id,
    transformerId: Type.Optional(Id),
    cycle: Type.Integer({ minimum: 0 }),
    at: Timestamp,
    limitKw: Kw('Feeder capacity'),
    capKw: Kw('Capacity in force: the limit, lowered during demand response'),
    allocatedKw: Kw('Sum of the session limits'),
    sessions: Type.Array(AllocatedSession),
    deadlinesAtRisk: Type.Array(DeadlineAtRisk),
  }),
});

/** A feeder's load, reported periodically: the limits in force and what the meters measure. */
export const FeederLoaded = defineEvent({
  type: 'energy.feeder.loaded',
  version: 1,
  schema: Type.Object({
    feederId: Id,
    at: Timestamp,
    limitKw: Kw('Feeder capacity'),
    capKw: Kw('Capacity in force'),
    allocatedKw: Kw('Sum of the limits the chargers accepted'),
    measuredKw: Kw('Sum of the latest metered power'),
    sessions: Type.Integer({ minimum: 0 }),
  }),
});

/**
 * A grid demand-response request, modelled on an OpenADR 3 event: `eventId`, `programId`,
 * `eventName` and `priority` as in OpenADR; `targets` as its target lists (zones or feeders);
 * `intervalPeriod` with an ISO 8601 `duration`; `reductionKw` is the single interval's
 * DISPATCH_SETPOINT_RELATIVE payload (a reduction from the load at the start). Published again
 * with the same `eventId`, it replaces the earlier request.
 */
export const DemandResponseRequested = defineEvent({
  type: 'energy.grid.demand-response.requested',
  version: 1,
  priority: 'emergency',
  description: 'Curtail charging load by reductionKw on the targeted feeders for a period (OpenADR 3 event).',
  schema: Type.Object({
    eventId: Id,
    programId: Id,
    eventName: Type.Optional(Type.String({ maxLength: 200 })),
    priority: Type.Optional(Type.Integer({ minimum: 0, description: 'OpenADR priority: lower is more important' })),
    targets: Type.Object(
      {
        zones: Type.Optional(Type.Array(Id, { minItems: 1 })),
        feederIds: Type.Optional(Type.Array(Id, { minItems: 1 })),
      },
      { minProperties: 1, additionalProperties: false },
    ),
    intervalPeriod: Type.Object({ start: Timestamp, duration: IsoDuration }),
    reductionKw: Type.Number({ exclusiveMinimum: 0, description: 'Load reduction asked for, kW' }),
    restoreRampS: Type.Optional(Type.Number({ minimum: 0, description: 'Ramp back to full capacity over this long after the end, seconds' })),
  }),
});

const ClassKw = Type.Object({
  emergency: Kw('Curtailed from the emergency fleet (above its mission need only)'),
  transit: Kw('Curtailed from transit buses'),
  taxi: Kw('Curtailed from taxis and ride-hailing'),
  private: Kw('Curtailed from private cars'),
});

/**
 * What a demand-response event achieved: reported once the curtailment is in force (within one
 * allocation cycle of the start), and again when capacity is restored after its end.
 */
export const DemandResponseReported = defineEvent({
  type: 'energy.grid.demand-response.reported',
  version: 1,
  schema: Type.Object({
    eventId: Id,
    programId: Id,
    status: Type.Union([Type.Literal('curtailed'), Type.Literal('restored')]),
    at: Timestamp,
    feederIds: Type.Array(Id),
    requestedKw: Kw('Reduction asked for'),
    baselineKw: Kw('Allocated load on the targeted feeders at the start'),
    loadKw: Kw('Load the chargers on the targeted feeders have accepted now'),
    achievedKw: Kw('Reduction achieved during the event: the baseline less the lowest accepted load'),
    curtailedByClass: ClassKw,
    protectedEmergencyKw: Kw('Emergency mission need kept out of reach of the curtailment'),
  }),
});

// ---------------------------------------------------------------------------------------------
// Electric bus depots
// ---------------------------------------------------------------------------------------------

const PlannedDeparture = Type.Object({
  blockId: Id,
  departAt: Timestamp,
  requiredSocPct: Type.Number({ minimum: 0, maximum: 100 }),
  plannedSocPct: Type.Number({ minimum: 0, maximum: 100, description: 'State of charge the schedule reaches by departure' }),
  met: Type.Boolean(),
  shortfallKwh: Type.Number({ minimum: 0 }),
});

/**
 * A depot's charging schedule: each bus's power per slot so it leaves with the charge its next
 * block needs, under the depot feeder's limit, at the least cost under the time-of-use tariff.
 */
export const DepotSchedulePlanned = defineEvent({
  type: 'energy.depot.schedule.planned',
  version: 1,
  description: 'Bus charging schedule of a depot: per-slot power, departures met, cost.',
  schema: Type.Object({
    depotId: Id,
    at: Timestamp,
    slotS: Type.Number({ exclusiveMinimum: 0 }),
    limitKw: Kw('Depot feeder capacity'),
    peakKw: Kw('Highest planned depot load'),
    cost: Type.Number({ minimum: 0, description: 'Energy cost of the schedule, in the tariff currency' }),
    currency: Type.String(),
    buses: Type.Array(
      Type.Object({
        busId: Id,
        departures: Type.Array(PlannedDeparture),
        slots: Type.Array(Type.Object({ start: Timestamp, kw: Kw('Planned power') }), { description: 'Slots with power, in time order' }),
      }),
    ),
  }),
});
