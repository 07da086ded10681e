import { GeoPoint, environment } from '@polis/contracts';
import { Type } from '@polis/plugin-api';
import type { Static } from '@polis/plugin-api';
import { WorkOrdersConfig } from './smell-work-orders.js';

const ConfigId = Type.String({ minLength: 1, maxLength: 60 });
const { ConcentrationUnit, Measurement } = environment;

const PollutantUnits = Type.Object(
  {
    pm25: Type.Optional(ConcentrationUnit),
    pm10: Type.Optional(ConcentrationUnit),
    o3: Type.Optional(ConcentrationUnit),
    no2: Type.Optional(ConcentrationUnit),
    so2: Type.Optional(ConcentrationUnit),
    co: Type.Optional(ConcentrationUnit),
  },
  { additionalProperties: false },
);

const Station = Type.Object(
  {
    id: ConfigId,
    name: Type.String({ minLength: 1 }),
    position: GeoPoint,
    radiusM: Type.Number({ exclusiveMinimum: 0, maximum: 50_000, default: 1500, description: 'The area the station represents: a station alert covers this circle' }),
    fiwareRefs: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description:
        'FIWARE AirQualityObserved ids, refDevice or refPointOfInterest values that are this station. An NGSI-LD URN urn:ngsi-ld:<Type>:<x> also matches <x>.',
    }),
    fiwareUnits: Type.Object(PollutantUnits.properties, {
      additionalProperties: false,
      default: {},
      description: 'Units of a key-values FIWARE feed, which carries none; normalized entities carry their unitCode',
    }),
    fiwareAveragingS: Type.Integer({ minimum: 1, maximum: 3600, default: 3600, description: 'Averaging period of the FIWARE feed (AirQualityObserved does not say), seconds' }),
  },
  { additionalProperties: false },
);

const Zone = Type.Object(
  {
    id: ConfigId,
    name: Type.String({ minLength: 1 }),
    polygon: Type.Array(GeoPoint, { minItems: 3, description: 'The zone outline, vertices in order: the area of its alerts' }),
    stations: Type.Optional(Type.Array(ConfigId, { minItems: 1, description: 'The stations whose index is the zone\'s; default: the stations inside the polygon' })),
  },
  { additionalProperties: false },
);

const thresholdOptions = [50, 100, 150, 200, 300].map((value) => Type.Literal(value));

/**
 * Largest plausible concentrations, a few times the top of both indices, so that "beyond the index"
 * episodes still count and a broken sensor does not: BAM-type particle monitors read up to
 * 10 mg/m3 and sandstorms have pushed hourly PM10 above 8 mg/m3; ambient gas analysers top out at
 * a few ppm (CO at a few hundred).
 */
const DEFAULT_PLAUSIBLE_MAX = {
  pm25: { value: 5000, unit: 'ug/m3' },
  pm10: { value: 10_000, unit: 'ug/m3' },
  o3: { value: 1, unit: 'ppm' },
  no2: { value: 5, unit: 'ppm' },
  so2: { value: 5, unit: 'ppm' },
  co: { value: 200, unit: 'ppm' },
} as const;

/** The `input` section's defaults. */
export const DEFAULT_INPUT = { maxFutureS: 300, maxAgeS: 86_400, negativeToleranceUgM3: 10, plausibleMax: DEFAULT_PLAUSIBLE_MAX } as const;

const limit = (pollutant: keyof typeof DEFAULT_PLAUSIBLE_MAX) => Type.Object(Measurement.properties, { additionalProperties: false, default: DEFAULT_PLAUSIBLE_MAX[pollutant] });

/** The environment plugin's configuration. Everything but `stations` has defaults. */
export const EnvironmentConfig = Type.Object(
  {
    stations: Type.Array(Station, { minItems: 1 }),
    zones: Type.Array(Zone, { default: [] }),
    /** Citizens' smoke and smell work orders (see smell-work-orders.ts). */
    workOrders: WorkOrdersConfig,
    alerts: Type.Object(
      {
        standard: Type.Union([Type.Literal('us-epa'), Type.Literal('hj633')], {
          default: 'hj633',
          description: 'The index alerts follow: us-epa (NowCast for particles: reacts within the hour) or hj633 (24-hour particle averages)',
        }),
        raiseAbove: Type.Union(thresholdOptions, { default: 100, description: 'An alert is raised when the index goes above this category limit' }),
        deadBand: Type.Number({ minimum: 0, maximum: 50, default: 15, description: 'An alert steps down (or clears) only once the index is this far below the limit it crossed' }),
        stationAlerts: Type.Boolean({ default: true, description: 'Alerts for single stations too, not only for zones' }),
        zoneStaleAfterS: Type.Number({ exclusiveMinimum: 0, default: 7200, description: 'A station silent this long no longer counts towards its zone, seconds' }),
      },
      { additionalProperties: false, default: {} },
    ),
    input: Type.Object(
      {
        maxFutureS: Type.Number({ minimum: 0, default: DEFAULT_INPUT.maxFutureS, description: 'A reading this far ahead of the clock is refused (clock skew allowed), seconds' }),
        maxAgeS: Type.Number({ exclusiveMinimum: 0, default: DEFAULT_INPUT.maxAgeS, description: 'A reading older than this is refused: the indices look back 24 hours, seconds' }),
        negativeToleranceUgM3: Type.Number({
          minimum: 0,
          default: DEFAULT_INPUT.negativeToleranceUgM3,
          description: 'Slightly negative values are instrument noise around zero and count as 0 (as AirNow does); below minus this, in ug/m3, they are refused',
        }),
        plausibleMax: Type.Object(
          {
            pm25: limit('pm25'),
            pm10: limit('pm10'),
            o3: limit('o3'),
            no2: limit('no2'),
            so2: limit('so2'),
            co: limit('co'),
          },
          { additionalProperties: false, default: {}, description: 'Concentrations above these are refused as out of physical range' },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

/** The environment configuration, defaults applied. */
export type EnvironmentConfig = Static<typeof EnvironmentConfig>;
export type StationConfig = EnvironmentConfig['stations'][number];
export type ZoneConfig = EnvironmentConfig['zones'][number];
