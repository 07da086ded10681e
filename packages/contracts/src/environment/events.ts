import { Type, defineEvent } from '@polis/plugin-api';
import { fiwareEntityEventSchema } from '../fiware/fiware-entity.js';
import { Id, Timestamp } from '../shared/geo.js';
import { rejectedInputFields } from '../shared/rejected-input.js';
import { AlertArea } from './alert-area.js';
import { ConcentrationUnit, Measurement, Pollutant } from './pollutants.js';

/**
 * An air-quality station's measured concentrations, averaged over `averagingS` seconds ending at
 * `observedAt`: regulatory stations report hourly averages (3600), sensor networks shorter ones.
 * For stations that do not speak FIWARE. Published by field gateways or the simulator; consumed
 * by environment.
 */
export const ReadingReported = defineEvent({
  type: 'environment.reading.reported',
  version: 1,
  description: 'Concentrations measured by an air-quality station over an averaging period, each with its unit.',
  schema: Type.Object({
    stationId: Id,
    observedAt: Type.String({ format: 'date-time', description: 'End of the averaging period' }),
    averagingS: Type.Integer({ minimum: 1, maximum: 3600, description: 'Length of the averaging period, seconds' }),
    measurements: Type.Object(
      {
        pm25: Type.Optional(Measurement),
        pm10: Type.Optional(Measurement),
        o3: Type.Optional(Measurement),
        no2: Type.Optional(Measurement),
        so2: Type.Optional(Measurement),
        co: Type.Optional(Measurement),
      },
      { additionalProperties: false, minProperties: 1 },
    ),
  }),
});

/**
 * A FIWARE AirQualityObserved entity (Smart Data Models) in key-values form (validated here
 * against the real FIWARE schema) or NGSI-v2 / NGSI-LD normalized form (which environment
 * converts and validates against the same schema). Units come from the attributes' `unitCode`
 * (UN/CEFACT: GQ ug/m3, GP mg/m3, 59 ppm, 61 ppb) in normalized form, or from the station's
 * configuration for key-values, which carry none. Consumed by environment.
 */
export const AirQualityObserved = defineEvent({
  type: 'environment.airquality.observed',
  version: 1,
  description: 'A FIWARE AirQualityObserved entity, key-values or normalized.',
  schema: fiwareEntityEventSchema('AirQualityObserved'),
});

/** Why environment refused a reading or one of its measurements: stable codes for operators and tools. */
export const RejectionCode = Type.Union(
  [
    'UNKNOWN_STATION',
    'INVALID_ENTITY',
    'MISSING_UNIT',
    'UNSUPPORTED_UNIT',
    'OUT_OF_RANGE',
    'FUTURE_TIMESTAMP',
    'STALE_TIMESTAMP',
    'NO_MEASUREMENTS',
  ].map((code) => Type.Literal(code)),
);

/**
 * Input environment could not use, and why. A reading with one bad measurement loses only that
 * measurement: the others are used, and the bad one is rejected on its own.
 */
export const ReadingRejected = defineEvent({
  type: 'environment.reading.rejected',
  version: 1,
  description: 'A reading, or one measurement of it, that environment refused: what, where, why, and a stable code.',
  schema: Type.Object({ ...rejectedInputFields('The station or entity id it named'), code: RejectionCode }),
});

/** How a sub-index's concentration was averaged: over 1, 8 or 24 hours, or by EPA's NowCast. */
const Averaging = Type.Union([Type.Literal('1h'), Type.Literal('8h'), Type.Literal('24h'), Type.Literal('nowcast')]);

const SubIndex = Type.Object({
  pollutant: Pollutant,
  averaging: Averaging,
  concentration: Type.Number({ description: 'The concentration the index was computed from, in `unit`' }),
  unit: ConcentrationUnit,
  index: Type.Integer({ minimum: 0 }),
});

/** US EPA AQI categories (Technical Assistance Document, EPA-454/B-24-002, Table 1). */
export const UsEpaCategory = Type.Union(
  ['good', 'moderate', 'unhealthy-for-sensitive-groups', 'unhealthy', 'very-unhealthy', 'hazardous'].map((name) => Type.Literal(name)),
);

/** HJ 633-2012 categories (Table 2): 优, 良, 轻度污染, 中度污染, 重度污染, 严重污染. */
export const Hj633Category = Type.Union(
  ['excellent', 'good', 'lightly-polluted', 'moderately-polluted', 'heavily-polluted', 'severely-polluted'].map((name) => Type.Literal(name)),
);

/** Which index an alert follows. */
export const AqiStandard = Type.Union([Type.Literal('us-epa'), Type.Literal('hj633')]);

/**
 * A station's air-quality index now, by both standards: the US EPA AQI (2024 PM2.5 breakpoints,
 * NowCast for particles) and China's HJ 633-2012 real-time AQI. A standard is absent when no
 * pollutant has enough data for it. Published by environment at each reading that advances the
 * station's clock.
 */
export const AqiComputed = defineEvent({
  type: 'environment.aqi.computed',
  version: 1,
  description: "A station's AQI by the US EPA and by HJ 633-2012, with each pollutant's sub-index.",
  schema: Type.Object({
    stationId: Id,
    observedAt: Timestamp,
    usEpa: Type.Optional(
      Type.Object({
        aqi: Type.Integer({ minimum: 0 }),
        category: UsEpaCategory,
        primaryPollutants: Type.Array(Pollutant, { description: 'The pollutants with the highest index (the critical pollutant)' }),
        subIndices: Type.Array(SubIndex),
      }),
    ),
    hj633: Type.Optional(
      Type.Object({
        aqi: Type.Integer({ minimum: 0 }),
        level: Type.Integer({ minimum: 1, maximum: 6 }),
        category: Hj633Category,
        primaryPollutants: Type.Array(Pollutant, { description: 'The pollutants with the highest IAQI when AQI > 50 (首要污染物); empty otherwise' }),
        exceedingPollutants: Type.Array(Pollutant, { description: 'Pollutants with IAQI > 100 (超标污染物)' }),
        subIndices: Type.Array(SubIndex),
      }),
    ),
  }),
});

/** Alert severities, least first, in the FIWARE Alert model's vocabulary. */
export const ALERT_SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export const AlertSeverity = Type.Union(ALERT_SEVERITIES.map((name) => Type.Literal(name)));

const AlertScope = Type.Union([Type.Literal('station'), Type.Literal('zone')], { description: 'One station, or a zone of several' });

const alertFields = {
  alertId: Id,
  scope: AlertScope,
  subjectId: Type.String({ minLength: 1, maxLength: 120, description: 'The station or zone id' }),
  name: Type.String({ description: 'Readable name of the station or zone' }),
  area: AlertArea,
  standard: AqiStandard,
  aqi: Type.Integer({ minimum: 0 }),
  category: Type.Union([UsEpaCategory, Hj633Category], { description: "The index's category in the alert's standard" }),
  severity: AlertSeverity,
  primaryPollutants: Type.Array(Pollutant),
  observedAt: Timestamp,
};

/**
 * Air quality in a station's area or a zone crossed the alert level. Healthcare and traffic act
 * on hospitals and signals inside `area`. Published by environment.
 */
export const AlertRaised = defineEvent({
  type: 'environment.alert.raised',
  version: 1,
  description: 'An air-quality alert for a station or zone: where, how bad, and which pollutants.',
  schema: Type.Object(alertFields),
});

/** The alert's severity changed: the index moved to another category (and past the dead band, downwards). */
export const AlertUpdated = defineEvent({
  type: 'environment.alert.updated',
  version: 1,
  description: "An air-quality alert's new severity.",
  schema: Type.Object({ ...alertFields, previousSeverity: AlertSeverity }),
});

/** The index fell below the clear level: the alert is over. */
export const AlertCleared = defineEvent({
  type: 'environment.alert.cleared',
  version: 1,
  description: 'An air-quality alert ended.',
  schema: Type.Object({
    alertId: Id,
    scope: AlertScope,
    subjectId: Type.String({ minLength: 1, maxLength: 120 }),
    name: Type.String(),
    area: AlertArea,
    standard: AqiStandard,
    aqi: Type.Integer({ minimum: 0 }),
    observedAt: Timestamp,
  }),
});
