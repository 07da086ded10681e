import { describe, expect, it } from 'vitest';
import type { HourlyByPollutant } from './station-history.js';
import { aqiComputedData, stationIndices } from './station-indices.js';

const hours = (values: readonly (number | undefined)[]) => values;
const steady = (value: number, count = 24) => Array.from({ length: count }, () => value);
const none = steady(Number.NaN).map(() => undefined);
const hourly = (values: Partial<HourlyByPollutant>): HourlyByPollutant => ({ pm25: none, pm10: none, o3: none, no2: none, so2: none, co: none, ...values });

describe('stationIndices', () => {
  it('rates a steady PM2.5 of 80 ug/m3 by NowCast (US EPA) and by its 24-hour average (HJ 633)', () => {
    const { usEpa, hj633 } = stationIndices(hourly({ pm25: steady(80) }));
    // NowCast of a steady series is the series: (200-151)/(125.4-55.5) x (80-55.5) + 151 = 168.17 -> 168.
    expect(usEpa).toMatchObject({ aqi: 168, category: 'unhealthy', primaryPollutants: ['pm25'] });
    // HJ 633 Table 1: (150-100)/(115-75) x (80-75) + 100 = 106.25 -> 106, lightly polluted.
    expect(hj633).toMatchObject({ aqi: 106, level: 3, category: 'lightly-polluted', primaryPollutants: ['pm25'] });
  });

  it('sees a sudden PM2.5 rise at once by NowCast, while the 24-hour average barely moves', () => {
    const { usEpa, hj633 } = stationIndices(hourly({ pm25: hours([200, ...steady(20, 23)]) }));
    // w = 20/200 -> 0.5: NowCast = (200 + 20 x (1 - 0.5^11)) / (2 - 0.5^11) = 110.0 -> (200-151)/69.9 x 54.5 + 151 = 189.
    expect(usEpa?.aqi).toBe(189);
    // 24-hour mean (200 + 23 x 20) / 24 = 27.5 -> 27.5 / 35 x 50 = 39.3 -> 39.
    expect(hj633?.aqi).toBe(39);
  });

  it('converts gases to the units of each table: NO2 400 ug/m3 is 212.7 ppb', () => {
    const { usEpa, hj633 } = stationIndices(hourly({ no2: hours([400]) }));
    // 400 x 24.4654 / 46.005 = 212.7 ppb -> 212: (150-101)/(360-101) x 111 + 101 = 122.
    expect(usEpa?.subIndices).toEqual([{ pollutant: 'no2', input: 'no2-1h', concentration: 212, index: 122 }]);
    // HJ 633 1-hour NO2 400: (150-100)/(700-200) x 200 + 100 = 120.
    expect(hj633?.subIndices).toEqual([{ pollutant: 'no2', input: 'no2-1h', concentration: 400, index: 120, aboveScale: false }]);
  });

  it('needs 6 of 8 hours for 8-hour averages and 20 of 24 (HJ 633) or 18 (EPA) for 24-hour ones', () => {
    const sixOfEight = hours([100, 100, 100, 100, 100, 100, undefined, undefined]);
    expect(stationIndices(hourly({ co: sixOfEight })).usEpa?.subIndices.map((s) => s.input)).toEqual(['co-8h']);
    expect(stationIndices(hourly({ co: hours([100, undefined, undefined, 100, 100, 100, 100, undefined]) })).usEpa).toBeUndefined();
    const nineteen = [...steady(50, 19), ...steady(Number.NaN, 5).map(() => undefined)];
    expect(stationIndices(hourly({ pm10: nineteen })).hj633).toBeUndefined();
    expect(stationIndices(hourly({ pm10: [...nineteen.slice(0, 19), 50] })).hj633?.aqi).toBe(50);
  });

  it('has no index without data', () => {
    expect(stationIndices(hourly({}))).toEqual({ usEpa: undefined, hj633: undefined });
  });

  it('describes each sub-index with its averaging and unit in the event', () => {
    const data = aqiComputedData('st', Date.UTC(2026, 0, 1), stationIndices(hourly({ pm25: steady(80), co: steady(2000) })));
    expect(data.usEpa?.subIndices).toEqual([
      { pollutant: 'pm25', averaging: 'nowcast', concentration: 80, unit: 'ug/m3', index: 168 },
      // 2000 ug/m3 of CO is 1.747 ppm -> 1.7: 1.7 / 4.4 x 50 = 19.3 -> 19.
      { pollutant: 'co', averaging: '8h', concentration: 1.7, unit: 'ppm', index: 19 },
    ]);
    expect(data.hj633?.subIndices).toEqual([
      // CO 1-hour 2 mg/m3: 2 / 5 x 50 = 20.
      { pollutant: 'co', averaging: '1h', concentration: 2, unit: 'mg/m3', index: 20 },
      { pollutant: 'pm25', averaging: '24h', concentration: 80, unit: 'ug/m3', index: 106 },
    ]);
  });
});
