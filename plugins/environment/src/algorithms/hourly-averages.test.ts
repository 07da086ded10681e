import { describe, expect, it } from 'vitest';
import { HOUR_MS, hourlyAverages, meanOfHours } from './hourly-averages.js';

const T = Date.UTC(2026, 0, 1, 12, 0, 0);
const MIN = 60_000;

describe('hourlyAverages', () => {
  it('takes hourly readings at the top of the hour as they are, most recent first', () => {
    const samples = [10, 20, 30].map((value, i) => ({ endMs: T - (2 - i) * HOUR_MS, periodMs: HOUR_MS, value }));
    expect(hourlyAverages(samples, T, 4)).toEqual([30, 20, 10, undefined]);
  });

  it('averages shorter readings by the time each covers', () => {
    // 40 minutes at 10 and 20 minutes at 40 in the last hour: (40 x 10 + 20 x 40) / 60 = 20.
    const samples = [
      { endMs: T - 20 * MIN, periodMs: 40 * MIN, value: 10 },
      { endMs: T, periodMs: 20 * MIN, value: 40 },
    ];
    expect(hourlyAverages(samples, T, 1)[0]).toBeCloseTo(20, 12);
  });

  it('splits a reading that straddles two hours between them', () => {
    // An hourly reading ending 30 minutes before the anchor fills half of each of the last two hours.
    const samples = [
      { endMs: T - 30 * MIN, periodMs: HOUR_MS, value: 12 },
      { endMs: T, periodMs: 30 * MIN, value: 24 },
      { endMs: T - 90 * MIN, periodMs: 30 * MIN, value: 6 },
    ];
    expect(hourlyAverages(samples, T, 2)).toEqual([18, 9]);
  });

  it('leaves an hour missing when less than 45 minutes of it are covered', () => {
    const samples = Array.from({ length: 44 }, (_, i) => ({ endMs: T - i * MIN, periodMs: MIN, value: 5 }));
    expect(hourlyAverages(samples, T, 1)).toEqual([undefined]);
    const enough = [...samples, { endMs: T - 44 * MIN, periodMs: MIN, value: 5 }];
    expect(hourlyAverages(enough, T, 1)).toEqual([5]);
  });

  it('ignores what lies after the anchor or before the oldest hour', () => {
    const samples = [
      { endMs: T + HOUR_MS, periodMs: HOUR_MS, value: 999 },
      { endMs: T - 5 * HOUR_MS, periodMs: HOUR_MS, value: 999 },
      { endMs: T, periodMs: HOUR_MS, value: 7 },
    ];
    expect(hourlyAverages(samples, T, 2)).toEqual([7, undefined]);
  });
});

describe('meanOfHours', () => {
  it('averages the valid hours if there are enough of them', () => {
    const hours = [1, 2, undefined, 4, 5, 6, 7, 8, 100];
    expect(meanOfHours(hours, 8, 6)).toBeCloseTo(33 / 7, 12);
    expect(meanOfHours([1, undefined, undefined, 4, 5, 6, 7, 8], 8, 7)).toBeUndefined();
  });
});
