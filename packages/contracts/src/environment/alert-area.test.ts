import { describe, expect, it } from 'vitest';
import { areaContains } from './alert-area.js';

describe('areaContains', () => {
  it('tests a polygon by its outline', () => {
    const area = { kind: 'polygon' as const, points: [{ lat: 22.53, lon: 114.05 }, { lat: 22.53, lon: 114.07 }, { lat: 22.54, lon: 114.07 }, { lat: 22.54, lon: 114.05 }] };
    expect(areaContains(area, { lat: 22.535, lon: 114.06 })).toBe(true);
    expect(areaContains(area, { lat: 22.545, lon: 114.06 })).toBe(false);
  });

  it('tests a circle by great-circle distance from its centre', () => {
    // 0.01 degree of latitude is 1 111.95 m on the mean-radius sphere.
    const area = { kind: 'circle' as const, center: { lat: 22.5, lon: 114 }, radiusM: 1200 };
    expect(areaContains(area, { lat: 22.51, lon: 114 })).toBe(true);
    expect(areaContains(area, { lat: 22.511, lon: 114 })).toBe(false);
  });
});
