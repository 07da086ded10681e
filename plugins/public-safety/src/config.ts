import { GeoPoint } from '@polis/contracts';
import { Type } from '@polis/plugin-api';
import type { Static } from '@polis/plugin-api';

const UnitKind = Type.Union([Type.Literal('police'), Type.Literal('fire')]);

/** Short, so ids built from them (corridor ids) stay within the contracts' 120 characters. */
const ConfigId = Type.String({ minLength: 1, maxLength: 40 });

const unitsFor = (...kinds: Array<'police' | 'fire'>) => Type.Array(UnitKind, { uniqueItems: true, default: kinds });

/** JSON Schema of the public-safety configuration; the kernel validates it and applies its defaults. */
export const PublicSafetyConfigSchema = Type.Object(
  {
    units: Type.Array(
      Type.Object({ id: ConfigId, kind: UnitKind, position: GeoPoint }, { additionalProperties: false }),
      { default: [], description: 'Police and fire units with their starting positions; all start available' },
    ),
    mergeDistanceM: Type.Number({ minimum: 0, default: 300, description: 'A report this close to an open incident may describe it, metres' }),
    mergeWindowS: Type.Number({ minimum: 0, default: 900, description: "...and if within this long of the incident's latest report, seconds" }),
    corridorMinSeverity: Type.Integer({
      minimum: 1,
      maximum: 5,
      default: 3,
      description: 'Dispatches to incidents of this severity or more are emergency priority and get a green corridor',
    }),
    clearAfterS: Type.Number({ minimum: 0, default: 600, description: 'Time on scene after the last unit arrives before the incident closes, seconds' }),
    unitsNeeded: Type.Object(
      {
        collision: unitsFor('police'),
        fire: unitsFor('fire', 'police'),
        hazard: unitsFor('fire'),
        crime: unitsFor('police'),
        // Healthcare sends ambulances; a medical call needs no police or fire unit by itself.
        medical: unitsFor(),
        other: unitsFor('police'),
      },
      { additionalProperties: false, default: {}, description: 'Unit kinds each incident kind needs, one unit of each' },
    ),
    fallbackSpeedKph: Type.Number({
      exclusiveMinimum: 0,
      default: 40,
      description: 'Speed for straight-line ETAs when the route query fails (traffic not loaded), km/h',
    }),
    routeTimeoutMs: Type.Integer({ minimum: 1, default: 1000, description: 'How long to wait for each route answer, milliseconds' }),
    routeCandidates: Type.Integer({ minimum: 1, default: 8, description: 'Units routed per dispatch: the nearest in a straight line' }),
  },
  { additionalProperties: false },
);

/** The public-safety configuration, defaults applied. */
export type PublicSafetyConfig = Static<typeof PublicSafetyConfigSchema>;
