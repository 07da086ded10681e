import type { MeterValue, SampledValue } from './ocpp16-messages.js';

/** The latest of what a charge point metered: energy register, power, state of charge. */
export interface MeterReading {
  readonly atMs: number;
  /** Energy.Active.Import.Register, Wh (the meter's absolute count, not the session's). */
  readonly registerWh?: number;
  /** Power.Active.Import, kW (the sum of the phases when only phases are given). */
  readonly powerKw?: number;
  readonly socPct?: number;
}

/** A reading, or where in `meterValue` a value could not be read and why (a JSON Pointer from the payload). */
export type MeterOutcome = { readonly ok: true; readonly reading: MeterReading | undefined } | { readonly ok: false; readonly path: string; readonly reason: string };

const ENERGY = 'Energy.Active.Import.Register';
const POWER = 'Power.Active.Import';
const SOC = 'SoC';
const SCALE: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  [ENERGY]: { Wh: 1, kWh: 1000 },
  [POWER]: { W: 0.001, kW: 1 },
  [SOC]: { Percent: 1 },
};
const DEFAULT_UNIT: Readonly<Record<string, string>> = { [ENERGY]: 'Wh', [POWER]: 'W', [SOC]: 'Percent' };

/**
 * Reads the latest meter value of a MeterValues.req (or StopTransaction.req transactionData):
 * the energy register, the active import power and the state of charge, in OCPP 1.6's defaults
 * (measurand Energy.Active.Import.Register, unit Wh). Phase values are summed when no total is
 * given; signed values and measurands the allocator does not use are skipped. A value that is not
 * a number, or a unit that does not fit its measurand, is refused with its path.
 */
export function readMeterValues(meterValues: readonly MeterValue[], base = '/meterValue'): MeterOutcome {
  let latest: { reading: MeterReading; atMs: number } | undefined;
  for (let m = 0; m < meterValues.length; m++) {
    const value = meterValues[m]!;
    const atMs = Date.parse(value.timestamp);
    const totals: Record<string, number> = {};
    const phases: Record<string, number> = {};
    for (let s = 0; s < value.sampledValue.length; s++) {
      const sample = value.sampledValue[s]!;
      const measurand = sample.measurand ?? ENERGY;
      if (sample.format === 'SignedData' || SCALE[measurand] === undefined) continue;
      const path = `${base}/${m}/sampledValue/${s}`;
      const unit = sample.unit ?? DEFAULT_UNIT[measurand]!;
      const scale = SCALE[measurand]![unit];
      if (scale === undefined) return { ok: false, path: `${path}/unit`, reason: `${measurand} cannot be in ${unit}; expected one of ${Object.keys(SCALE[measurand]!).join(', ')}` };
      const number = numberIn(sample);
      if (number === undefined) return { ok: false, path: `${path}/value`, reason: `${JSON.stringify(sample.value)} is not a number` };
      const into = sample.phase === undefined || sample.phase === 'N' ? totals : phases;
      into[measurand] = (into[measurand] ?? 0) + number * scale;
    }
    const pick = (measurand: string) => totals[measurand] ?? phases[measurand];
    const reading: MeterReading = { atMs, registerWh: pick(ENERGY), powerKw: pick(POWER), socPct: pick(SOC) };
    if (latest === undefined || atMs >= latest.atMs) latest = { reading, atMs };
  }
  return { ok: true, reading: latest?.reading };
}

function numberIn(sample: SampledValue): number | undefined {
  const text = sample.value.trim();
  const number = text === '' ? Number.NaN : Number(text);
  return Number.isFinite(number) ? number : undefined;
}
