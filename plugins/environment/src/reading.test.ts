import { describe, expect, it } from 'vitest';
import type { RawMeasurement, RawReading } from './reading.js';
import { checkReading } from './reading.js';
import { HOUR, T0 } from './test-fixtures.js';
import { DEFAULT_INPUT } from './config.js';

const measurement = (pollutant: RawMeasurement['pollutant'], value: number, unit: RawMeasurement['unit']): RawMeasurement => ({
  pollutant,
  value,
  unit,
  path: `/measurements/${pollutant}/value`,
  unitPath: `/measurements/${pollutant}/unit`,
});
const reading = (observedAtMs: number, measurements: RawMeasurement[]): RawReading => ({ stationId: 'st', observedAtMs, observedAtPath: '/observedAt', averagingS: 3600, measurements });

describe('checkReading', () => {
  it('converts every measurement to ug/m3 at 25 C and 1 atm', () => {
    const checked = checkReading(reading(T0, [measurement('no2', 100, 'ppb'), measurement('co', 1.2, 'mg/m3'), measurement('pm25', 35, 'ug/m3')]), T0, DEFAULT_INPUT);
    expect(checked.ok && checked.samples.map((s) => [s.pollutant, Math.round(s.sample.value * 10) / 10])).toEqual([['no2', 188], ['co', 1200], ['pm25', 35]]);
    expect(checked.ok && checked.samples[0]!.sample).toMatchObject({ endMs: T0, periodMs: HOUR });
  });

  it('refuses a reading from the future beyond the allowed clock skew, and accepts one within it', () => {
    expect(checkReading(reading(T0 + 3600_000, [measurement('pm25', 10, 'ug/m3')]), T0, DEFAULT_INPUT)).toEqual({
      ok: false,
      rejection: { path: '/observedAt', code: 'FUTURE_TIMESTAMP', reason: 'observedAt 2026-01-01T09:00:00.000Z is 3600 s ahead of the clock (2026-01-01T08:00:00.000Z); at most 300 s of clock skew is allowed' },
    });
    expect(checkReading(reading(T0 + 299_000, [measurement('pm25', 10, 'ug/m3')]), T0, DEFAULT_INPUT).ok).toBe(true);
  });

  it('refuses a reading older than the 24 hours the indices look back over', () => {
    expect(checkReading(reading(T0 - 3 * 24 * HOUR, [measurement('pm25', 10, 'ug/m3')]), T0, DEFAULT_INPUT)).toMatchObject({
      ok: false,
      rejection: { code: 'STALE_TIMESTAMP', reason: expect.stringMatching(/is 72\.0 h old; readings older than 24\.0 h/) },
    });
  });

  it('refuses only the bad measurement of a reading and keeps the others', () => {
    const checked = checkReading(reading(T0, [measurement('pm25', 6000, 'ug/m3'), measurement('no2', 40, 'ug/m3'), measurement('pm10', 20, 'ppb'), measurement('so2', 5, undefined)]), T0, DEFAULT_INPUT);
    expect(checked).toEqual({
      ok: true,
      samples: [{ pollutant: 'no2', sample: { endMs: T0, periodMs: HOUR, value: 40 } }],
      rejections: [
        { path: '/measurements/pm25/value', code: 'OUT_OF_RANGE', reason: 'pm25 6000 ug/m3 is above the plausible maximum of 5000 ug/m3: a sensor fault, not air' },
        { path: '/measurements/pm10/unit', code: 'UNSUPPORTED_UNIT', reason: 'pm10 is measured as a mass concentration (ug/m3 or mg/m3), not in ppb' },
        { path: '/measurements/so2/unit', code: 'MISSING_UNIT', reason: 'so2 5 has no unit: a concentration is meaningless without one' },
      ],
    });
  });

  it('counts small negative values (instrument noise around zero) as 0 and refuses larger ones', () => {
    const checked = checkReading(reading(T0, [measurement('pm25', -3, 'ug/m3'), measurement('pm10', -50, 'ug/m3')]), T0, DEFAULT_INPUT);
    expect(checked).toMatchObject({ ok: true, samples: [{ pollutant: 'pm25', sample: { value: 0 } }], rejections: [{ path: '/measurements/pm10/value', code: 'OUT_OF_RANGE', reason: expect.stringMatching(/negative beyond instrument noise/) }] });
  });

  it('refuses values that are not finite numbers', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(checkReading(reading(T0, [measurement('o3', value, 'ppb')]), T0, DEFAULT_INPUT)).toMatchObject({ ok: true, samples: [], rejections: [{ code: 'OUT_OF_RANGE' }] });
    }
  });
});
