import { Type, defineEvent } from '@polis/plugin-api';
import { GeoPoint, Id, Timestamp } from '../shared/geo.js';

const IncidentKind = Type.Union([
  Type.Literal('collision'),
  Type.Literal('fire'),
  Type.Literal('medical'),
  Type.Literal('crime'),
  Type.Literal('hazard'),
  Type.Literal('other'),
]);

const UnitKind = Type.Union([Type.Literal('police'), Type.Literal('fire')]);

/**
 * A report of something happening: an emergency call, a citizen app report, a camera alarm.
 * Public safety merges reports of the same incident (close in space and time) into one.
 */
export const ReportReceived = defineEvent({
  type: 'safety.report.received',
  version: 1,
  description: 'An incident report from a caller, an app or a sensor.',
  schema: Type.Object({
    reportId: Id,
    kind: IncidentKind,
    position: GeoPoint,
    reportedAt: Timestamp,
    casualties: Type.Integer({ minimum: 0, default: 0, description: 'People reported injured' }),
    description: Type.String({ maxLength: 2000, default: '' }),
    channel: Type.String({ description: 'Where the report came from, e.g. call, app, traffic' }),
  }),
});

/** Public safety opened an incident. Healthcare dispatches an ambulance when `casualties` > 0. */
export const IncidentOpened = defineEvent({
  type: 'safety.incident.opened',
  version: 1,
  description: 'A new incident, with its position, severity (1 minor .. 5 major) and casualties.',
  schema: Type.Object({
    incidentId: Id,
    kind: IncidentKind,
    position: GeoPoint,
    openedAt: Timestamp,
    severity: Type.Integer({ minimum: 1, maximum: 5 }),
    casualties: Type.Integer({ minimum: 0 }),
    reportIds: Type.Array(Id),
  }),
});

/** A merged report changed what is known of an incident (more casualties, higher severity). */
export const IncidentUpdated = defineEvent({
  type: 'safety.incident.updated',
  version: 1,
  description: 'An incident after another report was merged into it.',
  schema: Type.Object({
    incidentId: Id,
    position: GeoPoint,
    severity: Type.Integer({ minimum: 1, maximum: 5 }),
    casualties: Type.Integer({ minimum: 0 }),
    reportIds: Type.Array(Id),
    mergedReportId: Id,
  }),
});

/** A police or fire unit was sent to an incident; `etaS` from the traffic route query. */
export const UnitDispatched = defineEvent({
  type: 'safety.unit.dispatched',
  version: 1,
  description: 'The nearest available unit (by route ETA) sent to an incident.',
  schema: Type.Object({
    incidentId: Id,
    unitId: Id,
    unitKind: UnitKind,
    etaS: Type.Number({ minimum: 0, description: 'Expected travel time to the scene, seconds' }),
    corridorId: Type.Optional(Id),
  }),
});

/** A dispatched unit reached the scene. */
export const UnitOnScene = defineEvent({
  type: 'safety.unit.onscene',
  version: 1,
  schema: Type.Object({ incidentId: Id, unitId: Id, arrivedAt: Timestamp }),
});

/** No unit of the needed kind was available or reachable. */
export const DispatchUnavailable = defineEvent({
  type: 'safety.dispatch.unavailable',
  version: 1,
  schema: Type.Object({ incidentId: Id, unitKind: UnitKind, reason: Type.String() }),
});

/** The incident is over; its units are available again. */
export const IncidentClosed = defineEvent({
  type: 'safety.incident.closed',
  version: 1,
  schema: Type.Object({ incidentId: Id, closedAt: Timestamp, reason: Type.String() }),
});
