import { describe, expect, it } from 'vitest';
import type { EpaInput } from './us-epa-aqi.js';
import { EPA_BREAKPOINTS, epaCategory, epaSubIndex, usEpaAqi } from './us-epa-aqi.js';

// Source of every row: US EPA, Technical Assistance Document for the Reporting of Daily Air Quality
// - the Air Quality Index (AQI), EPA-454/B-24-002, May 2024, Table 6 "Breakpoints for the AQI"
// (the 2024 PM NAAQS revision, 89 FR 16202). Each breakpoint pair must map onto its AQI pair.
const TABLE_6: ReadonlyArray<readonly [EpaInput, number, number, number, number]> = [
  ['pm25', 0.0, 9.0, 0, 50],
  ['pm25', 9.1, 35.4, 51, 100],
  ['pm25', 35.5, 55.4, 101, 150],
  ['pm25', 55.5, 125.4, 151, 200],
  ['pm25', 125.5, 225.4, 201, 300],
  ['pm25', 225.5, 325.4, 301, 500],
  ['pm10', 0, 54, 0, 50],
  ['pm10', 55, 154, 51, 100],
  ['pm10', 155, 254, 101, 150],
  ['pm10', 255, 354, 151, 200],
  ['pm10', 355, 424, 201, 300],
  ['pm10', 425, 604, 301, 500],
  ['o3-8h', 0.0, 0.054, 0, 50],
  ['o3-8h', 0.055, 0.07, 51, 100],
  ['o3-8h', 0.071, 0.085, 101, 150],
  ['o3-8h', 0.086, 0.105, 151, 200],
  ['o3-8h', 0.106, 0.2, 201, 300],
  ['o3-1h', 0.125, 0.164, 101, 150],
  ['o3-1h', 0.165, 0.204, 151, 200],
  ['o3-1h', 0.205, 0.404, 201, 300],
  ['o3-1h', 0.405, 0.604, 301, 500],
  ['co-8h', 0.0, 4.4, 0, 50],
  ['co-8h', 4.5, 9.4, 51, 100],
  ['co-8h', 9.5, 12.4, 101, 150],
  ['co-8h', 12.5, 15.4, 151, 200],
  ['co-8h', 15.5, 30.4, 201, 300],
  ['co-8h', 30.5, 50.4, 301, 500],
  ['so2-1h', 0, 35, 0, 50],
  ['so2-1h', 36, 75, 51, 100],
  ['so2-1h', 76, 185, 101, 150],
  ['so2-1h', 186, 304, 151, 200],
  ['so2-24h', 305, 604, 201, 300],
  ['so2-24h', 605, 1004, 301, 500],
  ['no2-1h', 0, 53, 0, 50],
  ['no2-1h', 54, 100, 51, 100],
  ['no2-1h', 101, 360, 101, 150],
  ['no2-1h', 361, 649, 151, 200],
  ['no2-1h', 650, 1249, 201, 300],
  ['no2-1h', 1250, 2049, 301, 500],
];

describe('US EPA AQI (EPA-454/B-24-002)', () => {
  it('holds Table 6 exactly, 2024 PM2.5 breakpoints included', () => {
    const fromCode = Object.entries(EPA_BREAKPOINTS).flatMap(([input, rows]) => rows.map((r) => [input, r.cLo, r.cHi, r.iLo, r.iHi]));
    expect(fromCode).toEqual(TABLE_6);
  });

  it.each(TABLE_6)('Table 6, %s %f-%f: its breakpoints give AQI %i and %i', (input, cLo, cHi, iLo, iHi) => {
    expect(epaSubIndex(input, cLo)?.index).toBe(iLo);
    expect(epaSubIndex(input, cHi)?.index).toBe(iHi);
  });

  it.each([
    // Equation 1 by hand on Table 6 rows; concentrations truncated first (TAD, "Calculating the AQI").
    // PM2.5 35.9 -> (150-101)/(55.4-35.5) x (35.9-35.5) + 101 = 101.98 -> 102.
    ['pm25', 35.9, 35.9, 102],
    // PM2.5 12.0 was the old Good limit; under the 2024 breakpoints it is Moderate:
    // (100-51)/(35.4-9.1) x (12.0-9.1) + 51 = 56.40 -> 56.
    ['pm25', 12.0, 12.0, 56],
    // 9.05 truncates to 9.0, the top of Good (it never falls in the 9.0-9.1 gap).
    ['pm25', 9.05, 9.0, 50],
    // PM2.5 100.0 -> (200-151)/(125.4-55.5) x (100-55.5) + 151 = 182.19 -> 182.
    ['pm25', 100.0, 100.0, 182],
    // O3 8-hour 0.07853 ppm truncates to 0.078: (150-101)/(0.085-0.071) x 0.007 + 101 = 125.5 -> 126.
    ['o3-8h', 0.07853, 0.078, 126],
    // CO 8-hour 8.49 ppm truncates to 8.4: (100-51)/(9.4-4.5) x (8.4-4.5) + 51 = 90.
    ['co-8h', 8.49, 8.4, 90],
    // NO2 1-hour 200.9 ppb truncates to 200: (150-101)/(360-101) x 99 + 101 = 119.73 -> 120.
    ['no2-1h', 200.9, 200, 120],
    // PM10 160.7 truncates to 160: (150-101)/(254-155) x 5 + 101 = 103.47 -> 103.
    ['pm10', 160.7, 160, 103],
  ] as const)('%s %f (truncated to %f) is AQI %i', (input, concentration, truncated, index) => {
    expect(epaSubIndex(input, concentration)).toEqual({ index, truncated });
  });

  it('extends the last row beyond 500 ("beyond the AQI", 40 CFR 58 Appendix G 12(ii))', () => {
    // PM2.5 425.4: (500-301)/(325.4-225.5) x (425.4-225.5) + 301 = 699.2 -> 699.
    expect(epaSubIndex('pm25', 425.4)?.index).toBe(699);
  });

  it('names the categories of Table 1', () => {
    expect([0, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, 700].map(epaCategory)).toEqual([
      'good', 'good', 'moderate', 'moderate', 'unhealthy-for-sensitive-groups', 'unhealthy-for-sensitive-groups',
      'unhealthy', 'unhealthy', 'very-unhealthy', 'very-unhealthy', 'hazardous', 'hazardous',
    ]);
  });

  it('reports the highest sub-index and its pollutant as the AQI', () => {
    // O3 0.078 ppm -> 126, PM2.5 35.9 -> 102, CO 8.4 -> 90: AQI 126, ozone.
    const result = usEpaAqi({ 'o3-8h': 0.078, pm25: 35.9, 'co-8h': 8.4 })!;
    expect(result).toMatchObject({ aqi: 126, category: 'unhealthy-for-sensitive-groups', primaryPollutants: ['o3'] });
    expect(result.subIndices.map((s) => [s.pollutant, s.index])).toEqual([['pm25', 102], ['co', 90], ['o3', 126]]);
  });

  it('reports the higher of the 8-hour and 1-hour ozone indices (TAD, "Using both O3 1-hour and 8-hour values")', () => {
    // 8-hour 0.080 -> (150-101)/0.014 x 0.009 + 101 = 132.5 -> 133; 1-hour 0.170 -> (200-151)/0.039 x 0.005 + 151 = 157.28 -> 157.
    expect(usEpaAqi({ 'o3-8h': 0.08, 'o3-1h': 0.17 })).toMatchObject({ aqi: 157, primaryPollutants: ['o3'] });
    // 1-hour below 0.125 ppm has no index; the 8-hour value stands.
    expect(usEpaAqi({ 'o3-8h': 0.08, 'o3-1h': 0.1 })?.subIndices).toEqual([{ pollutant: 'o3', input: 'o3-8h', concentration: 0.08, index: 133 }]);
    // 8-hour above 0.200 ppm defines no higher values: the 1-hour value takes over (0.450 -> 346).
    expect(usEpaAqi({ 'o3-8h': 0.25, 'o3-1h': 0.45 })?.aqi).toBe(346);
    expect(usEpaAqi({ 'o3-8h': 0.25 })?.aqi).toBe(300);
  });

  it('takes SO2 at 305 ppb and above from the 24-hour average (Table 6, footnote on 1-hour SO2)', () => {
    expect(usEpaAqi({ 'so2-1h': 304 })?.aqi).toBe(200);
    // 24-hour 400 ppb: (300-201)/(604-305) x 95 + 201 = 232.45 -> 232.
    expect(usEpaAqi({ 'so2-1h': 420, 'so2-24h': 400 })?.subIndices).toEqual([{ pollutant: 'so2', input: 'so2-24h', concentration: 400, index: 232 }]);
    // A 24-hour average under 305 ppb, or none: 200, the most a 1-hour value defines.
    expect(usEpaAqi({ 'so2-1h': 420, 'so2-24h': 150 })?.aqi).toBe(200);
    expect(usEpaAqi({ 'so2-1h': 420 })?.aqi).toBe(200);
  });

  it('lists every pollutant tied for the highest index', () => {
    // PM2.5 35.4 and NO2 100 ppb are both the top of Moderate: 100.
    expect(usEpaAqi({ pm25: 35.4, 'no2-1h': 100 })?.primaryPollutants).toEqual(['pm25', 'no2']);
  });

  it('has no AQI without a concentration', () => {
    expect(usEpaAqi({})).toBeUndefined();
  });
});
