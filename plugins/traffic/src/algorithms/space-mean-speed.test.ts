import { describe, expect, it } from 'vitest';
import { spaceMeanSpeedKph } from './space-mean-speed.js';

describe('spaceMeanSpeedKph', () => {
  it('is total flow over total density, not the arithmetic mean of lane speeds', () => {
    // 1200/60 = 20 veh/km, 300/30 = 10 veh/km: 1500 / 30 = 50 km/h (arithmetic: 45).
    expect(spaceMeanSpeedKph([{ flowVph: 1200, speedKph: 60, occupancyPct: 13 }, { flowVph: 300, speedKph: 30, occupancyPct: 6.5 }])).toBe(50);
  });

  it('lets a stopped lane drag the link down through its occupancy', () => {
    // Moving lane: 900/45 = 20 veh/km. Stopped lane, 65 % occupied: 0.65 / 0.0065 km = 100 veh/km.
    // 900 / 120 = 7.5 km/h.
    expect(spaceMeanSpeedKph([{ flowVph: 900, speedKph: 45, occupancyPct: 13 }, { flowVph: 0, speedKph: 0, occupancyPct: 65 }])).toBeCloseTo(7.5, 9);
  });

  it('is zero when every lane stands still, and unknown when the road is empty', () => {
    expect(spaceMeanSpeedKph([{ flowVph: 0, speedKph: 0, occupancyPct: 90 }])).toBe(0);
    expect(spaceMeanSpeedKph([{ flowVph: 0, speedKph: 0, occupancyPct: 0 }])).toBeUndefined();
    expect(spaceMeanSpeedKph([])).toBeUndefined();
  });

  it('refuses impossible readings', () => {
    expect(() => spaceMeanSpeedKph([{ flowVph: 10, speedKph: -1, occupancyPct: 1 }])).toThrow(/lanes\[0\]\.speedKph/);
  });
});
