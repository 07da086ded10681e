import { describe, expect, it } from 'vitest';
import { EARTH_MEAN_RADIUS_M, bearingDeg, haversineM } from './geo.js';

describe('haversineM', () => {
  it('is zero between a point and itself', () => {
    expect(haversineM({ lat: 52.52, lon: 13.405 }, { lat: 52.52, lon: 13.405 })).toBe(0);
  });

  it('measures one degree of latitude as R·π/180 ≈ 111 195 m', () => {
    expect(haversineM({ lat: 10, lon: 20 }, { lat: 11, lon: 20 })).toBeCloseTo((EARTH_MEAN_RADIUS_M * Math.PI) / 180, 6);
  });

  it('reproduces the classic Nashville–Los Angeles example once rescaled to our radius', () => {
    // The Rosetta Code reference gives 2887.2599506071106 km for R = 6372.8 km; distance scales with R.
    const expectedM = (2_887_259.9506071106 * EARTH_MEAN_RADIUS_M) / 6_372_800;
    expect(haversineM({ lat: 36.12, lon: -86.67 }, { lat: 33.94, lon: -118.4 })).toBeCloseTo(expectedM, 3);
  });

  it('is symmetric and gives half the circumference between antipodes', () => {
    const a = { lat: 30, lon: 40 };
    const b = { lat: -30, lon: -140 };
    expect(haversineM(a, b)).toBeCloseTo(Math.PI * EARTH_MEAN_RADIUS_M, 3);
    expect(haversineM(b, a)).toBe(haversineM(a, b));
  });

  it('rejects coordinates off the globe, naming the bad one', () => {
    expect(() => haversineM({ lat: 91, lon: 0 }, { lat: 0, lon: 0 })).toThrow('a.lat: must be a finite number >= -90 and <= 90, got 91');
    expect(() => haversineM({ lat: 0, lon: 0 }, { lat: 0, lon: Number.NaN })).toThrow('b.lon:');
  });
});

describe('bearingDeg', () => {
  it('is 0 due north, 90 due east, 180 south and 270 west', () => {
    expect(bearingDeg({ lat: 0, lon: 0 }, { lat: 1, lon: 0 })).toBeCloseTo(0, 9);
    expect(bearingDeg({ lat: 0, lon: 0 }, { lat: 0, lon: 1 })).toBeCloseTo(90, 9);
    expect(bearingDeg({ lat: 1, lon: 0 }, { lat: 0, lon: 0 })).toBeCloseTo(180, 9);
    expect(bearingDeg({ lat: 0, lon: 1 }, { lat: 0, lon: 0 })).toBeCloseTo(270, 9);
  });
});
