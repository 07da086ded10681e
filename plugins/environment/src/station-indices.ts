import type { environment } from '@polis/contracts';
import type { EventData } from '@polis/plugin-api';
import { fromMicrogramsPerCubicMetre } from './algorithms/gas-units.js';
import type { Hj633Aqi, Hj633Input } from './algorithms/hj633-aqi.js';
import { hj633Aqi } from './algorithms/hj633-aqi.js';
import { meanOfHours } from './algorithms/hourly-averages.js';
import { nowCast } from './algorithms/nowcast.js';
import type { EpaAqi, EpaInput } from './algorithms/us-epa-aqi.js';
import { usEpaAqi } from './algorithms/us-epa-aqi.js';
import type { HourlyByPollutant } from './station-history.js';

type Pollutant = environment.Pollutant;
type ConcentrationUnit = environment.ConcentrationUnit;

export interface StationIndices {
  readonly usEpa: EpaAqi | undefined;
  readonly hj633: Hj633Aqi | undefined;
}

/**
 * Both real-time indices of a station from its hourly averages (ug/m3, most recent first):
 *
 * - US EPA: NowCast for PM2.5 and PM10 (for particles only: ozone's real-time estimate is a
 *   different EPA method, not implemented, so ozone uses the 8-hour running average the AQI is
 *   defined on, and its 1-hour value); 8-hour CO;
 *   1-hour SO2 (with the 24-hour average for 305 ppb and above) and NO2. Gases in ppm or ppb at
 *   25 C and 1 atm. 8-hour averages need 6 of 8 hours, 24-hour ones 18 of 24 (75 %).
 * - HJ 633-2012 real-time report: 1-hour SO2, NO2, CO (mg/m3) and O3; 8-hour moving O3; 24-hour
 *   moving PM10 and PM2.5. 8-hour averages need 6 hours, 24-hour ones 20 (GB 3095-2012 Table 4).
 */
export function stationIndices(hourly: HourlyByPollutant): StationIndices {
  const ppm = (pollutant: Pollutant, ug: number | undefined) => (ug === undefined ? undefined : fromMicrogramsPerCubicMetre(pollutant, ug, 'ppm'));
  const ppb = (pollutant: Pollutant, ug: number | undefined) => (ug === undefined ? undefined : fromMicrogramsPerCubicMetre(pollutant, ug, 'ppb'));
  const epa: Partial<Record<EpaInput, number | undefined>> = {
    pm25: nowCast(hourly.pm25),
    pm10: nowCast(hourly.pm10),
    'o3-8h': ppm('o3', meanOfHours(hourly.o3, 8, 6)),
    'o3-1h': ppm('o3', hourly.o3[0]),
    'co-8h': ppm('co', meanOfHours(hourly.co, 8, 6)),
    'so2-1h': ppb('so2', hourly.so2[0]),
    'so2-24h': ppb('so2', meanOfHours(hourly.so2, 24, 18)),
    'no2-1h': ppb('no2', hourly.no2[0]),
  };
  const coHour = hourly.co[0];
  const china: Partial<Record<Hj633Input, number | undefined>> = {
    'so2-1h': hourly.so2[0],
    'so2-24h': meanOfHours(hourly.so2, 24, 20),
    'no2-1h': hourly.no2[0],
    'co-1h': coHour === undefined ? undefined : coHour / 1000,
    'o3-1h': hourly.o3[0],
    'o3-8h': meanOfHours(hourly.o3, 8, 6),
    'pm10-24h': meanOfHours(hourly.pm10, 24, 20),
    'pm25-24h': meanOfHours(hourly.pm25, 24, 20),
  };
  return { usEpa: usEpaAqi(defined(epa)), hj633: hj633Aqi(defined(china), 'real-time') };
}

const defined = <K extends string>(values: Partial<Record<K, number | undefined>>): Partial<Record<K, number>> =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<Record<K, number>>;

type AqiData = EventData<typeof environment.AqiComputed>;

const EPA_UNIT: Readonly<Record<EpaInput, [averaging: '1h' | '8h' | '24h' | 'nowcast', unit: ConcentrationUnit]>> = {
  pm25: ['nowcast', 'ug/m3'],
  pm10: ['nowcast', 'ug/m3'],
  'o3-8h': ['8h', 'ppm'],
  'o3-1h': ['1h', 'ppm'],
  'co-8h': ['8h', 'ppm'],
  'so2-1h': ['1h', 'ppb'],
  'so2-24h': ['24h', 'ppb'],
  'no2-1h': ['1h', 'ppb'],
};

/** The `environment.aqi.computed` data for a station's indices. */
export function aqiComputedData(stationId: string, observedAtMs: number, indices: StationIndices): AqiData {
  const { usEpa, hj633 } = indices;
  return {
    stationId,
    observedAt: new Date(observedAtMs).toISOString(),
    ...(usEpa && {
      usEpa: {
        aqi: usEpa.aqi,
        category: usEpa.category,
        primaryPollutants: [...usEpa.primaryPollutants],
        subIndices: usEpa.subIndices.map((sub) => {
          const [averaging, unit] = EPA_UNIT[sub.input];
          return { pollutant: sub.pollutant, averaging, concentration: sub.concentration, unit, index: sub.index };
        }),
      },
    }),
    ...(hj633 && {
      hj633: {
        aqi: hj633.aqi,
        level: hj633.level,
        category: hj633.category,
        primaryPollutants: [...hj633.primaryPollutants],
        exceedingPollutants: [...hj633.exceedingPollutants],
        subIndices: hj633.subIndices.map((sub) => ({
          pollutant: sub.pollutant,
          averaging: sub.input.endsWith('-1h') ? ('1h' as const) : sub.input.endsWith('-8h') ? ('8h' as const) : ('24h' as const),
          concentration: Math.round(sub.concentration * 1000) / 1000,
          unit: sub.pollutant === 'co' ? ('mg/m3' as const) : ('ug/m3' as const),
          index: sub.index,
        })),
      },
    }),
  };
}
