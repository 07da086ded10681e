import type { environment } from '@polis/contracts';
import type { Segment } from './breakpoints.js';
import { interpolate, roundIndex, segmentOf, truncate } from './breakpoints.js';

type Pollutant = environment.Pollutant;

/*
 * The US EPA Air Quality Index as the Technical Assistance Document for the Reporting of Daily
 * Air Quality (EPA-454/B-24-002, May 2024) defines it, with the PM2.5 breakpoints of the 2024 PM
 * NAAQS revision (89 FR 16202, effective 6 May 2024): Good is now 0.0-9.0 ug/m3, Unhealthy ends
 * at 125.4 and Very Unhealthy at 225.4, and Hazardous is one category, 301-500.
 */

/** Which measurement a sub-index is computed from; units are those of Table 6. */
export type EpaInput =
  | 'pm25' // ug/m3, 24-hour average or NowCast
  | 'pm10' // ug/m3, 24-hour average or NowCast
  | 'o3-8h' // ppm
  | 'o3-1h' // ppm
  | 'co-8h' // ppm
  | 'so2-1h' // ppb
  | 'so2-24h' // ppb
  | 'no2-1h'; // ppb

const row = (cLo: number, cHi: number, iLo: number, iHi: number): Segment => ({ cLo, cHi, iLo, iHi });

/** EPA-454/B-24-002, Table 6 (Breakpoints for the AQI). */
export const EPA_BREAKPOINTS: Readonly<Record<EpaInput, readonly Segment[]>> = {
  pm25: [row(0.0, 9.0, 0, 50), row(9.1, 35.4, 51, 100), row(35.5, 55.4, 101, 150), row(55.5, 125.4, 151, 200), row(125.5, 225.4, 201, 300), row(225.5, 325.4, 301, 500)],
  pm10: [row(0, 54, 0, 50), row(55, 154, 51, 100), row(155, 254, 101, 150), row(255, 354, 151, 200), row(355, 424, 201, 300), row(425, 604, 301, 500)],
  // 8-hour O3 values do not define AQI values of 301 or more: those come from 1-hour O3.
  'o3-8h': [row(0.0, 0.054, 0, 50), row(0.055, 0.07, 51, 100), row(0.071, 0.085, 101, 150), row(0.086, 0.105, 151, 200), row(0.106, 0.2, 201, 300)],
  // 1-hour O3 starts at AQI 101: below 0.125 ppm only the 8-hour value counts.
  'o3-1h': [row(0.125, 0.164, 101, 150), row(0.165, 0.204, 151, 200), row(0.205, 0.404, 201, 300), row(0.405, 0.604, 301, 500)],
  'co-8h': [row(0.0, 4.4, 0, 50), row(4.5, 9.4, 51, 100), row(9.5, 12.4, 101, 150), row(12.5, 15.4, 151, 200), row(15.5, 30.4, 201, 300), row(30.5, 50.4, 301, 500)],
  // 1-hour SO2 values do not define AQI values of 200 or more: those come from 24-hour SO2.
  'so2-1h': [row(0, 35, 0, 50), row(36, 75, 51, 100), row(76, 185, 101, 150), row(186, 304, 151, 200)],
  'so2-24h': [row(305, 604, 201, 300), row(605, 1004, 301, 500)],
  'no2-1h': [row(0, 53, 0, 50), row(54, 100, 51, 100), row(101, 360, 101, 150), row(361, 649, 151, 200), row(650, 1249, 201, 300), row(1250, 2049, 301, 500)],
};

/** Decimal places concentrations are truncated to before the equation: 0.001 ppm, 0.1 ug/m3, 1 ug/m3, 0.1 ppm, 1 ppb. */
export const EPA_TRUNCATION_DECIMALS: Readonly<Record<EpaInput, number>> = {
  pm25: 1,
  pm10: 0,
  'o3-8h': 3,
  'o3-1h': 3,
  'co-8h': 1,
  'so2-1h': 0,
  'so2-24h': 0,
  'no2-1h': 0,
};

export const EPA_CATEGORIES = ['good', 'moderate', 'unhealthy-for-sensitive-groups', 'unhealthy', 'very-unhealthy', 'hazardous'] as const;
export type EpaCategory = (typeof EPA_CATEGORIES)[number];

/** Table 1: Good 0-50, Moderate 51-100, USG 101-150, Unhealthy 151-200, Very Unhealthy 201-300, Hazardous 301 and above. */
export function epaCategory(aqi: number): EpaCategory {
  const upper = [50, 100, 150, 200, 300];
  const index = upper.findIndex((limit) => aqi <= limit);
  return EPA_CATEGORIES[index === -1 ? 5 : index]!;
}

/**
 * The index of one measurement: truncated to Table 6's precision, then Equation 1, rounded to
 * the nearest integer. Above the last breakpoint the last row's line is extended ("beyond the
 * AQI", as 40 CFR 58 Appendix G allows). Undefined where Table 6 has no row for the value: 1-hour
 * O3 below 0.125 ppm, 8-hour O3 above 0.200 ppm, 1-hour SO2 above 304 ppb, 24-hour SO2 below 305.
 */
export function epaSubIndex(input: EpaInput, concentration: number): { readonly index: number; readonly truncated: number } | undefined {
  const table = EPA_BREAKPOINTS[input];
  const truncated = truncate(Math.max(0, concentration), EPA_TRUNCATION_DECIMALS[input]);
  let segment = segmentOf(truncated, table);
  const last = table[table.length - 1]!;
  if (segment === undefined && truncated > last.cHi && last.iHi === 500) segment = last;
  if (segment === undefined) return undefined;
  return { index: roundIndex(interpolate(truncated, segment)), truncated };
}

/** The concentrations available at a station, in Table 6's units; absent ones are not reported. */
export type EpaConcentrations = Partial<Readonly<Record<EpaInput, number>>>;

export interface EpaSubIndex {
  readonly pollutant: Pollutant;
  readonly input: EpaInput;
  /** The truncated concentration the index was computed from. */
  readonly concentration: number;
  readonly index: number;
}

export interface EpaAqi {
  readonly aqi: number;
  readonly category: EpaCategory;
  /** The pollutants whose index is the AQI (the "critical pollutant"; ties list all). */
  readonly primaryPollutants: readonly Pollutant[];
  readonly subIndices: readonly EpaSubIndex[];
}

/**
 * The AQI of a station: the highest sub-index (TAD, "How to handle values from multiple
 * pollutants"), with the TAD's two special cases:
 * - ozone: both the 8-hour and the 1-hour index are computed and the higher is reported; an
 *   8-hour value above 0.200 ppm counts as the top of its scale (300), since 8-hour values do not
 *   define higher values and the 1-hour value defines those;
 * - SO2: a 1-hour value of 305 ppb or more takes its index from the 24-hour average; if that
 *   average is under 305 ppb or unknown, the index is 200, the most the 1-hour value defines.
 * Undefined when no concentration is given.
 */
export function usEpaAqi(concentrations: EpaConcentrations): EpaAqi | undefined {
  const subIndices: EpaSubIndex[] = [];
  const add = (pollutant: Pollutant, input: EpaInput, concentration: number, index: number) => subIndices.push({ pollutant, input, concentration, index });
  const simple = (pollutant: Pollutant, input: EpaInput) => {
    const value = concentrations[input];
    if (value === undefined) return;
    const sub = epaSubIndex(input, value)!;
    add(pollutant, input, sub.truncated, sub.index);
  };

  simple('pm25', 'pm25');
  simple('pm10', 'pm10');
  simple('co', 'co-8h');
  simple('no2', 'no2-1h');

  const o3Hour = concentrations['o3-1h'];
  const o3Eight = concentrations['o3-8h'];
  if (o3Eight !== undefined) {
    const sub = epaSubIndex('o3-8h', o3Eight);
    add('o3', 'o3-8h', truncate(Math.max(0, o3Eight), 3), sub?.index ?? 300);
  }
  if (o3Hour !== undefined) {
    const sub = epaSubIndex('o3-1h', o3Hour);
    if (sub !== undefined) add('o3', 'o3-1h', sub.truncated, sub.index);
  }

  const so2Hour = concentrations['so2-1h'];
  if (so2Hour !== undefined) {
    const hourly = epaSubIndex('so2-1h', so2Hour);
    if (hourly !== undefined) {
      add('so2', 'so2-1h', hourly.truncated, hourly.index);
    } else {
      const daily = concentrations['so2-24h'] === undefined ? undefined : epaSubIndex('so2-24h', concentrations['so2-24h']);
      if (daily !== undefined) add('so2', 'so2-24h', daily.truncated, daily.index);
      else add('so2', 'so2-1h', truncate(so2Hour, 0), 200);
    }
  }

  if (subIndices.length === 0) return undefined;
  const aqi = Math.max(...subIndices.map((sub) => sub.index));
  const primaryPollutants = [...new Set(subIndices.filter((sub) => sub.index === aqi).map((sub) => sub.pollutant))];
  return { aqi, category: epaCategory(aqi), primaryPollutants, subIndices };
}
