import { Type, defineEvent } from '@polis/plugin-api';
import { Id } from '../shared/geo.js';

/**
 * Respiratory readiness levels of a hospital's emergency department, from normal operation to a
 * surge plan: `standby` (emergency department told, oxygen and nebulisers checked), `prepared`
 * (respiratory team on call, beds held for respiratory admissions), `surge` (surge plan active).
 */
export const ReadinessLevel = Type.Union([Type.Literal('normal'), Type.Literal('standby'), Type.Literal('prepared'), Type.Literal('surge')]);

/**
 * A hospital's respiratory readiness changed because an air-quality alert started, escalated or
 * ended over its position. Published by healthcare; hospitals' systems and dashboards consume it.
 */
export const ReadinessChanged = defineEvent({
  type: 'health.readiness.changed',
  version: 1,
  description: "A hospital's respiratory readiness for an air-quality episode over it.",
  schema: Type.Object({
    hospitalId: Id,
    level: ReadinessLevel,
    previousLevel: ReadinessLevel,
    alertIds: Type.Array(Id, { description: 'The air-quality alerts covering the hospital now; empty when back to normal' }),
    reason: Type.String(),
  }),
});
