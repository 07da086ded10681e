import { Type } from '@polis/plugin-api';
import type { Static } from '@polis/plugin-api';

/**
 * The six pollutants both air-quality indices cover, named as the FIWARE AirQualityObserved model
 * names them: fine and coarse particles, ozone, nitrogen dioxide, sulphur dioxide, carbon monoxide.
 */
export const POLLUTANTS = ['pm25', 'pm10', 'o3', 'no2', 'so2', 'co'] as const;

export const Pollutant = Type.Union(POLLUTANTS.map((name) => Type.Literal(name)));
export type Pollutant = (typeof POLLUTANTS)[number];

/**
 * Concentration units: mass per volume (micrograms or milligrams per cubic metre) or, for gases,
 * mixing ratio (parts per billion or per million by volume).
 */
export const CONCENTRATION_UNITS = ['ug/m3', 'mg/m3', 'ppb', 'ppm'] as const;

export const ConcentrationUnit = Type.Union(CONCENTRATION_UNITS.map((unit) => Type.Literal(unit)));
export type ConcentrationUnit = (typeof CONCENTRATION_UNITS)[number];

/** One measured concentration with its unit: a value without a unit is never accepted. */
export const Measurement = Type.Object(
  {
    value: Type.Number({ description: 'Concentration averaged over the reading period' }),
    unit: ConcentrationUnit,
  },
  { additionalProperties: false },
);
export type Measurement = Static<typeof Measurement>;
