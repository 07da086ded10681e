import { describe, expect, it } from 'vitest';
import { MOLAR_MASS_G, MOLAR_VOLUME_L, fromMicrogramsPerCubicMetre, toMicrogramsPerCubicMetre } from './gas-units.js';

describe('gas unit conversions at 25 C and 1 atm', () => {
  it('uses the ideal-gas molar volume RT/P = 24.465 L/mol', () => {
    // 8.314 462 618 x 298.15 / 101 325 = 0.024 465 4 m3/mol.
    expect(MOLAR_VOLUME_L).toBeCloseTo(24.4654, 4);
  });

  it.each([
    // M / 24.4654: the factors US agencies publish for 25 C (e.g. 1 ppb NO2 = 1.88 ug/m3).
    ['o3', 47.997, 1.962],
    ['no2', 46.005, 1.880],
    ['so2', 64.058, 2.618],
    ['co', 28.01, 1.145],
  ] as const)('converts 1 ppb of %s (M = %f g/mol) to %f ug/m3', (gas, molarMass, factor) => {
    expect(MOLAR_MASS_G[gas]).toBeCloseTo(molarMass, 3);
    expect(toMicrogramsPerCubicMetre(gas, 1, 'ppb')).toBeCloseTo(factor, 3);
    expect(toMicrogramsPerCubicMetre(gas, 1, 'ppm')).toBeCloseTo(factor * 1000, 0);
  });

  it('round-trips every unit', () => {
    for (const unit of ['ug/m3', 'mg/m3', 'ppb', 'ppm'] as const) {
      const ug = toMicrogramsPerCubicMetre('no2', 42, unit)!;
      expect(fromMicrogramsPerCubicMetre('no2', ug, unit)).toBeCloseTo(42, 9);
    }
  });

  it('has no mixing ratio for particles', () => {
    expect(toMicrogramsPerCubicMetre('pm25', 10, 'ppb')).toBeUndefined();
    expect(toMicrogramsPerCubicMetre('pm10', 0.05, 'mg/m3')).toBe(50);
    expect(() => fromMicrogramsPerCubicMetre('pm25', 10, 'ppm')).toThrow(RangeError);
  });
});
