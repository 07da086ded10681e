import { GeoPoint, environment } from '@polis/contracts';
import { Type } from '@polis/plugin-api';
import type { Static } from '@polis/plugin-api';

/** Short, so ids built from them (corridor ids) stay within the contracts' 120 characters. */
const ConfigId = Type.String({ minLength: 1, maxLength: 40 });

const severity = (fallback: (typeof environment.ALERT_SEVERITIES)[number], description: string) =>
  Type.Union(environment.ALERT_SEVERITIES.map((name) => Type.Literal(name)), { default: fallback, description });

/** JSON Schema of the healthcare configuration; the kernel validates it and applies its defaults. */
export const HealthcareConfigSchema = Type.Object(
  {
    ambulances: Type.Array(Type.Object({ id: ConfigId, position: GeoPoint }, { additionalProperties: false }), {
      default: [],
      description: 'Ambulances with their starting positions; all start available',
    }),
    hospitals: Type.Array(
      Type.Object(
        {
          id: ConfigId,
          name: Type.String({ minLength: 1 }),
          position: GeoPoint,
          emergencyBeds: Type.Integer({ minimum: 0, description: 'Free emergency beds at start; hospitals report changes as health.capacity.updated' }),
        },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
    sceneS: Type.Number({ minimum: 0, default: 600, description: 'Time at the scene before leaving for the hospital, seconds' }),
    handoverS: Type.Number({ minimum: 0, default: 900, description: 'Time at the hospital before the ambulance is available again, seconds' }),
    fallbackSpeedKph: Type.Number({
      exclusiveMinimum: 0,
      default: 40,
      description: 'Speed for straight-line ETAs when the route query fails (traffic not loaded), km/h',
    }),
    routeTimeoutMs: Type.Integer({ minimum: 1, default: 1000, description: 'How long to wait for each route answer, milliseconds' }),
    routeCandidates: Type.Integer({ minimum: 1, default: 8, description: 'Ambulances (and hospitals) routed per dispatch: the nearest in a straight line' }),
    respiratoryReadiness: Type.Object(
      {
        standby: severity('low', 'Least alert severity that puts the emergency department on standby'),
        prepared: severity('medium', 'Least alert severity that calls the respiratory team and holds beds'),
        surge: severity('high', 'Least alert severity that activates the surge plan'),
      },
      { additionalProperties: false, default: {}, description: 'Readiness of hospitals under an air-quality alert, by its severity' },
    ),
  },
  { additionalProperties: false },
);

/** The healthcare configuration, defaults applied. */
export type HealthcareConfig = Static<typeof HealthcareConfigSchema>;
