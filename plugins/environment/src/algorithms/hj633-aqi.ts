import type { environment } from '@polis/contracts';
import type { Segment } from './breakpoints.js';
import { contiguousTable, interpolate, roundIndex, segmentOf } from './breakpoints.js';

type Pollutant = environment.Pollutant;

/*
 * China's Ambient Air Quality Index, HJ 633-2012 "Technical Regulation on Ambient Air Quality
 * Index (on trial)" (环境空气质量指数（AQI）技术规定（试行）), issued with GB 3095-2012.
 *
 * Readings the standard leaves open, and the ones taken here:
 * - Rounding. HJ 633 gives Formula 1 but no rounding rule for IAQI. We round to the nearest
 *   integer, halves up, as published worked examples do (PM2.5 40 ug/m3: 56.25 -> 56) and as the
 *   US EPA does.
 * - Above the table. Table 1 ends at IAQI 500; a higher concentration is reported as 500
 *   ("beyond the index") with `aboveScale`, rather than extrapolated.
 * - Real-time particles. Table 1 has only 24-hour limits for PM10 and PM2.5, and Section 5 lists
 *   the 24-hour moving averages among the real-time indicators; the real-time IAQI of particles
 *   is therefore computed from the 24-hour moving average, the one reading consistent with Table 1.
 * - SO2 above 800 ug/m3 in one hour, with no 24-hour average to fall back on: reported as 200,
 *   the most the 1-hour value defines (Table 1, note 2), rather than dropping SO2.
 */

/** The pollutant items of Table 1 (污染物项目). Units: ug/m3, CO mg/m3. */
export type Hj633Input = 'so2-24h' | 'so2-1h' | 'no2-24h' | 'no2-1h' | 'pm10-24h' | 'co-24h' | 'co-1h' | 'o3-1h' | 'o3-8h' | 'pm25-24h';

/** IAQI limits of Table 1, the top row. */
const IAQI = [0, 50, 100, 150, 200, 300, 400, 500] as const;

/** HJ 633-2012, Table 1: concentration limits for each IAQI of the top row. */
export const HJ633_LIMITS: Readonly<Record<Hj633Input, readonly number[]>> = {
  'so2-24h': [0, 50, 150, 475, 800, 1600, 2100, 2620],
  // Note 2: above 800 ug/m3 the 1-hour SO2 IAQI is not computed; the 24-hour one is reported.
  'so2-1h': [0, 150, 500, 650, 800],
  'no2-24h': [0, 40, 80, 180, 280, 565, 750, 940],
  'no2-1h': [0, 100, 200, 700, 1200, 2340, 3090, 3840],
  'pm10-24h': [0, 50, 150, 250, 350, 420, 500, 600],
  'co-24h': [0, 2, 4, 14, 24, 36, 48, 60],
  'co-1h': [0, 5, 10, 35, 60, 90, 120, 150],
  'o3-1h': [0, 160, 200, 300, 400, 800, 1000, 1200],
  // Note 3: above 800 ug/m3 the 8-hour O3 IAQI is not computed; the 1-hour one is reported.
  'o3-8h': [0, 100, 160, 215, 265, 800],
  'pm25-24h': [0, 35, 75, 115, 150, 250, 350, 500],
};

const TABLES = Object.fromEntries(Object.entries(HJ633_LIMITS).map(([input, limits]) => [input, contiguousTable(limits, IAQI.slice(0, limits.length))])) as Record<
  Hj633Input,
  Segment[]
>;

const POLLUTANT_OF: Readonly<Record<Hj633Input, Pollutant>> = {
  'so2-24h': 'so2',
  'so2-1h': 'so2',
  'no2-24h': 'no2',
  'no2-1h': 'no2',
  'pm10-24h': 'pm10',
  'co-24h': 'co',
  'co-1h': 'co',
  'o3-1h': 'o3',
  'o3-8h': 'o3',
  'pm25-24h': 'pm25',
};

export const HJ633_CATEGORIES = ['excellent', 'good', 'lightly-polluted', 'moderately-polluted', 'heavily-polluted', 'severely-polluted'] as const;
export type Hj633Category = (typeof HJ633_CATEGORIES)[number];

/** Table 2: levels 1-6 for AQI 0-50, 51-100, 101-150, 151-200, 201-300 and above 300. */
export function hj633Level(aqi: number): { readonly level: number; readonly category: Hj633Category } {
  const upper = [50, 100, 150, 200, 300];
  const found = upper.findIndex((limit) => aqi <= limit);
  const index = found === -1 ? 5 : found;
  return { level: index + 1, category: HJ633_CATEGORIES[index]! };
}

/**
 * The IAQI of one pollutant item by Formula 1 on Table 1. Undefined where the standard computes
 * none: 1-hour SO2 or 8-hour O3 above 800 ug/m3 (notes 2 and 3).
 */
export function hj633SubIndex(input: Hj633Input, concentration: number): { readonly index: number; readonly aboveScale: boolean } | undefined {
  const limits = HJ633_LIMITS[input];
  const top = limits[limits.length - 1]!;
  const value = Math.max(0, concentration);
  if (value > top) return (input === 'so2-1h' || input === 'o3-8h') ? undefined : { index: 500, aboveScale: true };
  return { index: roundIndex(interpolate(value, segmentOf(value, TABLES[input])!)), aboveScale: false };
}

/**
 * `real-time`: the hourly report of Section 5 (SO2, NO2, CO, O3 1-hour averages, O3 8-hour and
 * particles 24-hour moving averages; 24-hour SO2 only as note 2's fallback). `daily`: the daily
 * report (24-hour averages, O3 daily maximum 1-hour and 8-hour averages); note 1 reserves the
 * 1-hour SO2, NO2 and CO limits for the real-time report.
 */
export type Hj633Report = 'real-time' | 'daily';

const ITEMS: Readonly<Record<Hj633Report, readonly Hj633Input[]>> = {
  'real-time': ['so2-1h', 'no2-1h', 'co-1h', 'o3-1h', 'o3-8h', 'pm10-24h', 'pm25-24h'],
  daily: ['so2-24h', 'no2-24h', 'co-24h', 'o3-1h', 'o3-8h', 'pm10-24h', 'pm25-24h'],
};

export interface Hj633SubIndex {
  readonly pollutant: Pollutant;
  readonly input: Hj633Input;
  readonly concentration: number;
  readonly index: number;
  /** The concentration is above Table 1's last limit: the index is reported as 500. */
  readonly aboveScale: boolean;
}

export interface Hj633Aqi {
  readonly aqi: number;
  readonly level: number;
  readonly category: Hj633Category;
  /** 4.3: when AQI > 50, the pollutants with the largest IAQI (首要污染物), all of them on a tie; else none. */
  readonly primaryPollutants: readonly Pollutant[];
  /** 4.3: pollutants with IAQI > 100 (超标污染物). */
  readonly exceedingPollutants: readonly Pollutant[];
  readonly subIndices: readonly Hj633SubIndex[];
}

/** AQI = max(IAQI) over the report's items (4.3), with its level, category and primary pollutants. Undefined with no data. */
export function hj633Aqi(concentrations: Partial<Readonly<Record<Hj633Input, number>>>, report: Hj633Report = 'real-time'): Hj633Aqi | undefined {
  const subIndices: Hj633SubIndex[] = [];
  for (const input of ITEMS[report]) {
    const concentration = concentrations[input];
    if (concentration === undefined) continue;
    const sub = hj633SubIndex(input, concentration);
    if (sub !== undefined) {
      subIndices.push({ pollutant: POLLUTANT_OF[input], input, concentration, ...sub });
    } else if (input === 'so2-1h') {
      const daily = concentrations['so2-24h'];
      const fallback = daily === undefined ? undefined : hj633SubIndex('so2-24h', daily);
      subIndices.push(fallback ? { pollutant: 'so2', input: 'so2-24h', concentration: daily!, ...fallback } : { pollutant: 'so2', input, concentration, index: 200, aboveScale: true });
    }
    // An 8-hour O3 above 800 is dropped (note 3): the 1-hour O3 item reports ozone.
  }
  if (subIndices.length === 0) return undefined;
  const aqi = Math.max(...subIndices.map((sub) => sub.index));
  const distinct = (subs: readonly Hj633SubIndex[]) => [...new Set(subs.map((sub) => sub.pollutant))];
  return {
    aqi,
    ...hj633Level(aqi),
    primaryPollutants: aqi > 50 ? distinct(subIndices.filter((sub) => sub.index === aqi)) : [],
    exceedingPollutants: distinct(subIndices.filter((sub) => sub.index > 100)),
    subIndices,
  };
}
