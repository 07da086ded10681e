import { describe, expect, it } from 'vitest';
import { epaSubIndex } from './us-epa-aqi.js';
import { nowCast } from './nowcast.js';

describe('NowCast for particles', () => {
  it("reproduces EPA's worked example: 12 hours ending 13 ug/m3 give 17.4 ug/m3", () => {
    // EPA, "Computing the NowCast" (AirNow training): hours oldest to newest 50 80 75 90 82 53 64
    // 74 21 10 16 13; range 80 over max 90 gives w = 0.11, raised to 0.5; NowCast = 17.4 ug/m3.
    const oldestFirst = [50, 80, 75, 90, 82, 53, 64, 74, 21, 10, 16, 13];
    const value = nowCast([...oldestFirst].reverse())!;
    expect(value).toBeCloseTo(17.41, 2);
    // Truncated to 17.4 and converted with the 2024 breakpoints (9.1-35.4 -> 51-100): 66.
    expect(epaSubIndex('pm25', value)).toEqual({ index: 66, truncated: 17.4 });
  });

  it('is the plain 12-hour mean when the air is steady (w = min / max = 1)', () => {
    expect(nowCast(Array.from({ length: 12 }, () => 20))).toBeCloseTo(20, 12);
  });

  it('weights hour i by w^i with w = min / max when that is above one half', () => {
    // min 30, max 40: w = 0.75. (40 + 30 x 0.75) / (1 + 0.75) = 62.5 / 1.75 = 35.714...
    expect(nowCast([40, 30])).toBeCloseTo(35.7142857, 6);
  });

  it('skips missing hours in both sums, keeping each hour at its own age', () => {
    // Hours 0 and 2 valid (2 of the last 3): w = max(0.5, 10/40) = 0.5;
    // (40 + 10 x 0.25) / (1 + 0.25) = 34.
    expect(nowCast([40, undefined, 10])).toBeCloseTo(34, 12);
  });

  it('needs two of the three most recent hours', () => {
    expect(nowCast([undefined, undefined, 30, 30, 30])).toBeUndefined();
    expect(nowCast([30, undefined, undefined, 30, 30])).toBeUndefined();
    expect(nowCast([undefined, 30, 30])).toBeCloseTo(30, 12);
  });

  it('uses at most 12 hours', () => {
    const thirteen = [...Array.from({ length: 12 }, () => 10), 1000];
    expect(nowCast(thirteen)).toBeCloseTo(10, 12);
  });

  it('is zero for clean air without dividing by zero', () => {
    expect(nowCast([0, 0, 0])).toBe(0);
  });
});
