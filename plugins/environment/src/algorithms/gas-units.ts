import type { environment } from '@polis/contracts';

type Pollutant = environment.Pollutant;
type ConcentrationUnit = environment.ConcentrationUnit;

/**
 * Litres per mole of an ideal gas at 25 C (298.15 K) and 1 atm (101.325 kPa): V = RT/P with
 * R = 8.314 462 618 J/(mol K). This is the reference state of the US EPA's gas breakpoints and of
 * GB 3095-2012 as amended in 2018; the 24.45 often quoted is this value rounded.
 */
export const MOLAR_VOLUME_L = (8.314_462_618 * 298.15) / 101_325 * 1000;

/** Molar masses, g/mol, from the IUPAC conventional atomic weights (O 15.999, N 14.007, S 32.06, C 12.011). */
export const MOLAR_MASS_G: Readonly<Record<GasPollutant, number>> = {
  o3: 3 * 15.999,
  no2: 14.007 + 2 * 15.999,
  so2: 32.06 + 2 * 15.999,
  co: 12.011 + 15.999,
};

export type GasPollutant = Extract<Pollutant, 'o3' | 'no2' | 'so2' | 'co'>;

export const isGas = (pollutant: Pollutant): pollutant is GasPollutant => pollutant in MOLAR_MASS_G;

/**
 * A concentration in micrograms per cubic metre, converting mixing ratios of gases at 25 C and
 * 1 atm (ug/m3 = ppb x M / V). Undefined when the unit does not apply: particles have a mass
 * concentration only.
 */
export function toMicrogramsPerCubicMetre(pollutant: Pollutant, value: number, unit: ConcentrationUnit): number | undefined {
  switch (unit) {
    case 'ug/m3':
      return value;
    case 'mg/m3':
      return value * 1000;
    case 'ppb':
      return isGas(pollutant) ? (value * MOLAR_MASS_G[pollutant]) / MOLAR_VOLUME_L : undefined;
    case 'ppm':
      return isGas(pollutant) ? (value * 1000 * MOLAR_MASS_G[pollutant]) / MOLAR_VOLUME_L : undefined;
  }
}

/** The inverse of {@link toMicrogramsPerCubicMetre}, for the units each index's tables are written in. */
export function fromMicrogramsPerCubicMetre(pollutant: Pollutant, ugPerM3: number, unit: ConcentrationUnit): number {
  switch (unit) {
    case 'ug/m3':
      return ugPerM3;
    case 'mg/m3':
      return ugPerM3 / 1000;
    case 'ppb':
    case 'ppm': {
      if (!isGas(pollutant)) throw new RangeError(`${pollutant} has no mixing ratio`);
      const ppb = (ugPerM3 * MOLAR_VOLUME_L) / MOLAR_MASS_G[pollutant];
      return unit === 'ppb' ? ppb : ppb / 1000;
    }
  }
}
