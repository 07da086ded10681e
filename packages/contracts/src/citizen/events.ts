import { Type, defineEvent } from '@polis/plugin-api';
import { GeoPoint, Id, Timestamp } from '../shared/geo.js';

/** How urgent the requester (or the desk) says a case is; service levels differ by it. */
export const Priority = Type.Union([Type.Literal('low'), Type.Literal('normal'), Type.Literal('urgent')]);

/** Where a case stands, as the requester is told. */
export const CaseStatus = Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('in_progress'), Type.Literal('resolved')]);

/** A citizen's Open311 request, as the gateway accepted it (duplicates already merged). */
export const RequestFiled = defineEvent({
  type: 'citizen.request.filed',
  version: 1,
  description: "A citizen's service request (Open311) that opens a case.",
  schema: Type.Object({
    requestId: Id,
    serviceCode: Type.String({ minLength: 1, maxLength: 64 }),
    position: GeoPoint,
    filedAt: Timestamp,
    description: Type.String({ maxLength: 4000, default: '' }),
    priority: Type.Optional(Priority),
    /** The service's Open311 attributes as filed (e.g. `state: dark`, `hazard: crash`). */
    attributes: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 200 }))),
  }),
});

/**
 * A domain-neutral work order for a department that has no request event of its own: the
 * department acts on it without knowing where it came from.
 */
export const CaseRouted = defineEvent({
  type: 'citizen.case.routed',
  version: 1,
  description: 'A work order for the department responsible for a citizen case.',
  schema: Type.Object({
    caseId: Id,
    department: Type.String({ minLength: 1 }),
    serviceCode: Type.String({ minLength: 1, maxLength: 64 }),
    position: GeoPoint,
    description: Type.String({ maxLength: 4000 }),
    acknowledgeBy: Timestamp,
    resolveBy: Timestamp,
  }),
});

/** A case missed its service level: the department's supervisor is told. */
export const CaseEscalated = defineEvent({
  type: 'citizen.case.escalated',
  version: 1,
  description: 'A citizen case missed its time to acknowledge or to resolve.',
  schema: Type.Object({
    caseId: Id,
    department: Type.String({ minLength: 1 }),
    serviceCode: Type.String({ minLength: 1, maxLength: 64 }),
    missed: Type.Union([Type.Literal('acknowledge'), Type.Literal('resolve')]),
    supervisor: Type.String({ minLength: 1 }),
  }),
});

/**
 * A department's answer to a work order (`citizen.case.routed`): it took the case, started on
 * it, or finished it, with a note for the requester. Published under the work order's
 * correlation id by whoever acts on it.
 */
export const CaseProgressed = defineEvent({
  type: 'citizen.case.progressed',
  version: 1,
  description: 'A department acknowledged, started or resolved a work order.',
  schema: Type.Object({
    caseId: Id,
    department: Type.String({ minLength: 1 }),
    status: Type.Union([Type.Literal('acknowledged'), Type.Literal('in_progress'), Type.Literal('resolved')]),
    note: Type.String({ maxLength: 1000 }),
  }),
});

/**
 * The case's status as the requester sees it (Open311's status and status notes), whichever
 * department's events moved it: the follow-up with the citizen.
 */
export const CaseUpdated = defineEvent({
  type: 'citizen.case.updated',
  version: 1,
  description: "A citizen case's status changed; the note is for the requester.",
  schema: Type.Object({
    caseId: Id,
    status: CaseStatus,
    note: Type.String({ maxLength: 1000 }),
    /** The public-safety incident a crash or hazard report was linked to. */
    incidentId: Type.Optional(Id),
  }),
});

/** The city's Open311 desk is open at this URL (announced by the gateway once it listens). */
export const DeskOpened = defineEvent({
  type: 'citizen.desk.opened',
  version: 1,
  description: 'Where citizens file Open311 requests.',
  schema: Type.Object({ open311Url: Type.String({ minLength: 1, maxLength: 2048 }) }),
});
