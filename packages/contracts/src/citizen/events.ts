import { Type, defineEvent } from '@polis/plugin-api';
import { GeoPoint, Id, Timestamp } from '../shared/geo.js';

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
