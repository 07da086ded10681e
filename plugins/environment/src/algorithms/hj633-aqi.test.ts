import { describe, expect, it } from 'vitest';
import type { Hj633Input } from './hj633-aqi.js';
import { HJ633_LIMITS, hj633Aqi, hj633Level, hj633SubIndex } from './hj633-aqi.js';

// Source: HJ 633-2012, 环境空气质量指数（AQI）技术规定（试行）, Table 1 (空气质量分指数及对应的污染物项目
// 浓度限值): the IAQI row 0 50 100 150 200 300 400 500 and each item's limits, ug/m3 (CO mg/m3).
const IAQI = [0, 50, 100, 150, 200, 300, 400, 500];
const TABLE_1: Readonly<Record<Hj633Input, readonly number[]>> = {
  'so2-24h': [0, 50, 150, 475, 800, 1600, 2100, 2620],
  'so2-1h': [0, 150, 500, 650, 800],
  'no2-24h': [0, 40, 80, 180, 280, 565, 750, 940],
  'no2-1h': [0, 100, 200, 700, 1200, 2340, 3090, 3840],
  'pm10-24h': [0, 50, 150, 250, 350, 420, 500, 600],
  'co-24h': [0, 2, 4, 14, 24, 36, 48, 60],
  'co-1h': [0, 5, 10, 35, 60, 90, 120, 150],
  'o3-1h': [0, 160, 200, 300, 400, 800, 1000, 1200],
  'o3-8h': [0, 100, 160, 215, 265, 800],
  'pm25-24h': [0, 35, 75, 115, 150, 250, 350, 500],
};
const CASES = Object.entries(TABLE_1).flatMap(([input, limits]) => limits.map((limit, i) => [input as Hj633Input, limit, IAQI[i]!] as const));

describe('HJ 633-2012 IAQI and AQI', () => {
  it('holds Table 1 exactly', () => {
    expect(HJ633_LIMITS).toEqual(TABLE_1);
  });

  it.each(CASES)('Table 1: %s at its limit %f has IAQI %i', (input, limit, iaqi) => {
    expect(hj633SubIndex(input, limit)).toEqual({ index: iaqi, aboveScale: false });
  });

  it.each([
    // Formula 1 by hand on Table 1, rounded to the nearest integer (see hj633-aqi.ts on rounding).
    // PM2.5 24 h 40: (100-50)/(75-35) x (40-35) + 50 = 56.25 -> 56.
    ['pm25-24h', 40, 56],
    // PM2.5 24 h 80: (150-100)/(115-75) x (80-75) + 100 = 106.25 -> 106.
    ['pm25-24h', 80, 106],
    // CO 1 h 12 mg/m3: (150-100)/(35-10) x (12-10) + 100 = 104.
    ['co-1h', 12, 104],
    // O3 1 h 250: (150-100)/(300-200) x 50 + 100 = 125.
    ['o3-1h', 250, 125],
    // NO2 1 h 150: (100-50)/(200-100) x 50 + 50 = 75.
    ['no2-1h', 150, 75],
    // PM10 24 h 385: (300-200)/(420-350) x (385-350) + 200 = 250.
    ['pm10-24h', 385, 250],
  ] as const)('%s %f has IAQI %i', (input, concentration, iaqi) => {
    expect(hj633SubIndex(input, concentration)?.index).toBe(iaqi);
  });

  it('reports concentrations above the last limit as 500, beyond the index', () => {
    expect(hj633SubIndex('pm25-24h', 650)).toEqual({ index: 500, aboveScale: true });
  });

  it('computes no 1-hour SO2 IAQI above 800 ug/m3 and reports the 24-hour one (Table 1, note 2)', () => {
    expect(hj633SubIndex('so2-1h', 900)).toBeUndefined();
    // 24 h 500: (200-150)/(800-475) x (500-475) + 150 = 153.85 -> 154.
    expect(hj633Aqi({ 'so2-1h': 900, 'so2-24h': 500 })?.subIndices).toEqual([{ pollutant: 'so2', input: 'so2-24h', concentration: 500, index: 154, aboveScale: false }]);
    expect(hj633Aqi({ 'so2-1h': 900 })?.aqi).toBe(200);
    // At or below 800 the 1-hour value stands in the real-time report, whatever the 24-hour one.
    expect(hj633Aqi({ 'so2-1h': 650, 'so2-24h': 2000 })?.aqi).toBe(150);
  });

  it('computes no 8-hour O3 IAQI above 800 ug/m3: the 1-hour one reports ozone (Table 1, note 3)', () => {
    expect(hj633SubIndex('o3-8h', 850)).toBeUndefined();
    // 1 h 900: (400-300)/(1000-800) x 100 + 300 = 350.
    expect(hj633Aqi({ 'o3-8h': 850, 'o3-1h': 900 })?.subIndices).toEqual([{ pollutant: 'o3', input: 'o3-1h', concentration: 900, index: 350, aboveScale: false }]);
  });

  it('takes the largest IAQI as the AQI, and names primary pollutants only above 50 (4.3)', () => {
    // PM2.5 30 -> 42.86 -> 43; NO2 1 h 80 -> 40: AQI 43, level 1 (优), no primary pollutant.
    expect(hj633Aqi({ 'pm25-24h': 30, 'no2-1h': 80 })).toMatchObject({ aqi: 43, level: 1, category: 'excellent', primaryPollutants: [], exceedingPollutants: [] });
    // PM2.5 80 -> 106, O3 1 h 250 -> 125: AQI 125, level 3 (轻度污染), O3 primary, both exceed 100.
    expect(hj633Aqi({ 'pm25-24h': 80, 'o3-1h': 250 })).toMatchObject({ aqi: 125, level: 3, category: 'lightly-polluted', primaryPollutants: ['o3'], exceedingPollutants: ['o3', 'pm25'] });
  });

  it('lists every pollutant tied for the largest IAQI as primary (4.3.2)', () => {
    // PM10 150 and PM2.5 75 are both IAQI 100.
    expect(hj633Aqi({ 'pm10-24h': 150, 'pm25-24h': 75 })?.primaryPollutants).toEqual(['pm10', 'pm25']);
  });

  it('uses the 24-hour limits of SO2, NO2 and CO in the daily report (Table 1, note 1)', () => {
    // Daily: NO2 24 h 100 -> (150-100)/(180-80) x 20 + 100 = 110; the 1-hour value is not an item.
    expect(hj633Aqi({ 'no2-1h': 150, 'no2-24h': 100 }, 'daily')?.subIndices.map((s) => [s.input, s.index])).toEqual([['no2-24h', 110]]);
    expect(hj633Aqi({ 'no2-1h': 150, 'no2-24h': 100 }, 'real-time')?.subIndices.map((s) => [s.input, s.index])).toEqual([['no2-1h', 75]]);
  });

  it('names the six levels of Table 2', () => {
    expect([0, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, 500].map((aqi) => hj633Level(aqi).category)).toEqual([
      'excellent', 'excellent', 'good', 'good', 'lightly-polluted', 'lightly-polluted',
      'moderately-polluted', 'moderately-polluted', 'heavily-polluted', 'heavily-polluted', 'severely-polluted', 'severely-polluted',
    ]);
    expect(hj633Level(301).level).toBe(6);
  });
});
