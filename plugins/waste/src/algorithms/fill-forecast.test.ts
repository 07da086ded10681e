import { describe, expect, it } from 'vitest';
import { DEFAULT_FILL_FORECAST_OPTIONS, FillForecast } from './fill-forecast.js';
import type { FillObservation } from './fill-forecast.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
/** Readings at T0 + hours[i] with fills[i]. */
const readings = (fills: readonly number[], firstHour = 0): FillObservation[] => fills.map((fillPct, i) => ({ timeMs: T0 + (firstHour + i) * H, fillPct }));
/** Feeds readings one by one, returning the forecast and each reading's effect. */
function feed(forecast: FillForecast, observations: readonly FillObservation[]) {
  const effects: string[] = [];
  for (const observation of observations) {
    const next = forecast.observe(observation);
    effects.push(next.effect);
    forecast = next.forecast;
  }
  return { forecast, effects };
}
/** No prior: the rate is the readings' own Theil-Sen slope. */
const unblended = { ...DEFAULT_FILL_FORECAST_OPTIONS, priorWeight: 0 };

describe('FillForecast', () => {
  it('forecasts a steady fill: 2 %/h from 10 % reaches 80 % 35 hours after the first reading', () => {
    const { forecast } = feed(new FillForecast(unblended), readings([10, 12, 14, 16, 18]));
    expect(forecast.ratePctPerHour).toBe(2);
    expect(forecast.levelAt(T0 + 10 * H)).toBe(30);
    expect(forecast.timeToReach(80)).toBe(T0 + 35 * H);
    expect(forecast.levelAt(T0 + 1000 * H)).toBe(100);
  });

  it('is not tilted by sensor noise: alternating +-3 % around 2 %/h still gives 2 %/h', () => {
    const noisy = Array.from({ length: 12 }, (_, hour) => 10 + 2 * hour + (hour % 2 === 0 ? 3 : -3));
    const { forecast } = feed(new FillForecast(unblended), readings(noisy));
    expect(forecast.ratePctPerHour).toBe(2);
    // The level at the last reading (hour 11: true 32, read 29) is the trend's, not the reading's.
    expect(forecast.levelAt(T0 + 11 * H)).toBe(32);
  });

  it('ignores a wild reading: a bag under the sensor at 95 % does not move rate or level', () => {
    const fills = Array.from({ length: 12 }, (_, hour) => (hour === 6 ? 95 : 10 + 2 * hour));
    const { forecast } = feed(new FillForecast(unblended), readings(fills));
    expect(forecast.ratePctPerHour).toBe(2);
    expect(forecast.levelAt(T0 + 11 * H)).toBe(32);
  });

  it('starts a new cycle when the bin was emptied: a low reading confirmed by the next', () => {
    const { forecast, effects } = feed(new FillForecast(unblended), readings([8, 16, 24, 32, 40, 48, 56, 64, 72, 3, 5]));
    expect(effects.slice(-3)).toEqual(['reading', 'suspect', 'emptied']);
    expect(forecast.emptiedAtMs).toBe(T0 + 9 * H);
    expect(forecast.cycle).toEqual(readings([3, 5], 9));
    expect(forecast.pastRates).toEqual([8]);
    expect(forecast.levelAt(T0 + 10 * H)).toBe(5);
  });

  it('keeps the old trend while an emptying is only suspected, and drops a lone low glitch', () => {
    const before = feed(new FillForecast(unblended), readings([40, 42, 44])).forecast;
    const suspected = before.observe({ timeMs: T0 + 3 * H, fillPct: 2 });
    expect(suspected.effect).toBe('suspect');
    expect(suspected.forecast.levelAt(T0 + 3 * H)).toBe(46);
    const back = suspected.forecast.observe({ timeMs: T0 + 4 * H, fillPct: 48 });
    expect(back.effect).toBe('reading');
    expect(back.forecast.cycle.map((reading) => reading.fillPct)).toEqual([40, 42, 44, 48]);
    expect(back.forecast.suspect).toBeUndefined();
    expect(back.forecast.pastRates).toEqual([]);
  });

  it('blends a young cycle with the prior: 8 readings of evidence at 2 %/h against a prior of 1.5 worth 4', () => {
    const { forecast } = feed(new FillForecast(), readings([10, 12, 14, 16, 18, 20, 22, 24, 26]));
    expect(forecast.ratePctPerHour).toBeCloseTo((8 * 2 + 4 * 1.5) / 12, 12);
  });

  it('takes its prior from past cycles once it has them', () => {
    // Two cycles at 4 %/h; then a truck empties the bin: the new cycle starts at 0 % at 4 %/h.
    let forecast = feed(new FillForecast(), readings([20, 24, 28, 32])).forecast.emptied(T0 + 4 * H);
    const firstRate = (3 * 4 + 4 * 1.5) / 7;
    expect(forecast.pastRates).toEqual([firstRate]);
    expect(forecast.emptiedAtMs).toBe(T0 + 4 * H);
    expect(forecast.levelAt(T0 + 4 * H)).toBe(0);
    expect(forecast.levelAt(T0 + 6 * H)).toBeCloseTo(2 * firstRate, 12);
    forecast = feed(forecast, readings([4, 8, 12], 5)).forecast;
    // Readings 0 (pickup), 4, 8, 12 at 4 %/h: 3 of evidence against the prior firstRate worth 4.
    expect(forecast.ratePctPerHour).toBeCloseTo((3 * 4 + 4 * firstRate) / 7, 12);
  });

  it('knows nothing before its first reading, and never forecasts a falling fill', () => {
    const empty = new FillForecast();
    expect(empty.levelAt(T0)).toBeUndefined();
    expect(empty.timeToReach(80)).toBeUndefined();
    const { forecast } = feed(new FillForecast(unblended), readings([50, 49, 48]));
    expect(forecast.ratePctPerHour).toBe(0);
    expect(forecast.timeToReach(80)).toBeUndefined();
    expect(forecast.timeToReach(40)).toBe(T0 + 2 * H);
  });
});

describe('FillForecast.emptied', () => {
  it('keeps readings taken after the pickup: a truck report can arrive after the next reading', () => {
    const before = feed(new FillForecast(unblended), readings([60, 62, 64])).forecast;
    // Emptied at hour 2.5; a reading at hour 3 (4 %) had already been taken as a suspected emptying.
    const suspected = before.observe({ timeMs: T0 + 3 * H, fillPct: 4 }).forecast;
    const after = suspected.emptied(T0 + 2.5 * H);
    expect(after.cycle).toEqual([{ timeMs: T0 + 2.5 * H, fillPct: 0 }, { timeMs: T0 + 3 * H, fillPct: 4 }]);
    expect(after.ratePctPerHour).toBe(8);
    expect(after.suspect).toBeUndefined();
  });
});
