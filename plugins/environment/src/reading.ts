import type { environment } from '@polis/contracts';
import type { Static } from '@polis/plugin-api';
import { fromMicrogramsPerCubicMetre, toMicrogramsPerCubicMetre } from './algorithms/gas-units.js';
import type { Sample } from './algorithms/hourly-averages.js';
import type { EnvironmentConfig } from './config.js';

type Pollutant = environment.Pollutant;
type ConcentrationUnit = environment.ConcentrationUnit;

type RejectionCode = Static<typeof environment.RejectionCode>;

/** One measurement as it arrived, and where in the input its value and unit are (JSON Pointers). */
export interface RawMeasurement {
  readonly pollutant: Pollutant;
  readonly value: number;
  /** Undefined when the input gave none; `unitText` holds a unit that was given but is not known. */
  readonly unit: ConcentrationUnit | undefined;
  readonly unitText?: string;
  readonly path: string;
  readonly unitPath: string;
  /** Why no unit is known, when `unit` and `unitText` are both absent. */
  readonly missingUnitReason?: string;
}

/** A reading from either input (plain or FIWARE), before any check. */
export interface RawReading {
  readonly stationId: string;
  readonly observedAtMs: number;
  readonly observedAtPath: string;
  readonly averagingS: number;
  readonly measurements: readonly RawMeasurement[];
}

export interface Rejection {
  readonly path: string;
  readonly code: RejectionCode;
  readonly reason: string;
}

/** What of a reading can be used: samples in ug/m3, and a rejection for each measurement that cannot. */
export type CheckedReading =
  | { readonly ok: true; readonly samples: ReadonlyArray<{ readonly pollutant: Pollutant; readonly sample: Sample }>; readonly rejections: readonly Rejection[] }
  | { readonly ok: false; readonly rejection: Rejection };

const HOUR_S = 3600;

/**
 * Checks a reading against the clock and physics. The whole reading is refused when its time is
 * in the future (beyond the allowed skew) or older than the indices look back; otherwise each
 * measurement stands on its own: a missing or unusable unit, or a value outside the plausible
 * range, refuses that measurement and keeps the others.
 */
export function checkReading(raw: RawReading, nowMs: number, input: EnvironmentConfig['input']): CheckedReading {
  const aheadS = (raw.observedAtMs - nowMs) / 1000;
  if (aheadS > input.maxFutureS) {
    const reason = `observedAt ${new Date(raw.observedAtMs).toISOString()} is ${Math.round(aheadS)} s ahead of the clock (${new Date(nowMs).toISOString()}); at most ${input.maxFutureS} s of clock skew is allowed`;
    return { ok: false, rejection: { path: raw.observedAtPath, code: 'FUTURE_TIMESTAMP', reason } };
  }
  const ageS = -aheadS;
  if (ageS > input.maxAgeS) {
    const reason = `observedAt ${new Date(raw.observedAtMs).toISOString()} is ${(ageS / HOUR_S).toFixed(1)} h old; readings older than ${(input.maxAgeS / HOUR_S).toFixed(1)} h cannot change any index`;
    return { ok: false, rejection: { path: raw.observedAtPath, code: 'STALE_TIMESTAMP', reason } };
  }

  const samples: Array<{ pollutant: Pollutant; sample: Sample }> = [];
  const rejections: Rejection[] = [];
  for (const measurement of raw.measurements) {
    const outcome = checkMeasurement(measurement, input);
    if ('code' in outcome) rejections.push(outcome);
    else samples.push({ pollutant: measurement.pollutant, sample: { endMs: raw.observedAtMs, periodMs: raw.averagingS * 1000, value: outcome.ugPerM3 } });
  }
  return { ok: true, samples, rejections };
}

function checkMeasurement(measurement: RawMeasurement, input: EnvironmentConfig['input']): Rejection | { readonly ugPerM3: number } {
  const { pollutant, value, unit, path, unitPath } = measurement;
  if (unit === undefined) {
    if (measurement.unitText !== undefined) {
      return { path: unitPath, code: 'UNSUPPORTED_UNIT', reason: `${pollutant} unit ${JSON.stringify(measurement.unitText)} is not a known concentration unit` };
    }
    return { path: unitPath, code: 'MISSING_UNIT', reason: `${pollutant} ${value} has no unit: ${measurement.missingUnitReason ?? 'a concentration is meaningless without one'}` };
  }
  const ugPerM3 = toMicrogramsPerCubicMetre(pollutant, value, unit);
  if (ugPerM3 === undefined) {
    return { path: unitPath, code: 'UNSUPPORTED_UNIT', reason: `${pollutant} is measured as a mass concentration (ug/m3 or mg/m3), not in ${unit}` };
  }
  if (!Number.isFinite(ugPerM3)) return { path, code: 'OUT_OF_RANGE', reason: `${pollutant} ${value} ${unit} is not a finite number` };
  if (ugPerM3 < -input.negativeToleranceUgM3) {
    return { path, code: 'OUT_OF_RANGE', reason: `${pollutant} ${value} ${unit} is negative beyond instrument noise (at least -${input.negativeToleranceUgM3} ug/m3 is allowed, and counted as 0)` };
  }
  const limit = input.plausibleMax[pollutant];
  const maxUgPerM3 = toMicrogramsPerCubicMetre(pollutant, limit.value, limit.unit) ?? Number.POSITIVE_INFINITY;
  if (ugPerM3 > maxUgPerM3) {
    const inLimitUnit = fromMicrogramsPerCubicMetre(pollutant, ugPerM3, limit.unit);
    return {
      path,
      code: 'OUT_OF_RANGE',
      reason: `${pollutant} ${value} ${unit}${unit === limit.unit ? '' : ` (${round(inLimitUnit)} ${limit.unit})`} is above the plausible maximum of ${limit.value} ${limit.unit}: a sensor fault, not air`,
    };
  }
  return { ugPerM3: Math.max(0, ugPerM3) };
}

const round = (value: number) => Number(value.toPrecision(4));
