import { Type, defineEvent } from '@polis/plugin-api';
import { Id } from '../shared/geo.js';

/**
 * Traffic holds back inflow into an area under an air-quality alert: at each signal inside the
 * area fed by a road from outside, the phases serving those roads get a fraction of the green
 * Webster's method would give them, from the signal's next cycle. Published by traffic.
 */
export const InflowGated = defineEvent({
  type: 'traffic.inflow.gated',
  version: 1,
  description: "Signals at an alert area's boundary give less green to the roads coming in.",
  schema: Type.Object({
    alertId: Id,
    signals: Type.Array(
      Type.Object({
        intersectionId: Id,
        phaseIds: Type.Array(Id, { minItems: 1, description: 'The phases serving roads that enter the area' }),
        greenFactor: Type.Number({ exclusiveMinimum: 0, maximum: 1, description: "Share of Webster's green those phases keep" }),
      }),
    ),
  }),
});

/** The alert is over (or no longer severe enough): its gated signals are back on their normal plans. */
export const InflowReleased = defineEvent({
  type: 'traffic.inflow.released',
  version: 1,
  schema: Type.Object({ alertId: Id, intersectionIds: Type.Array(Id) }),
});
