import { describe, expect, it } from 'vitest';
import { isDateTime } from './date-time-format.js';

describe('date-time format', () => {
  it.each([
    ['2026-01-01T08:00:00Z', true],
    ['2026-01-01T08:00:00.123Z', true],
    ['2026-01-01t08:00:00+08:00', true],
    ['2024-02-29T00:00:00Z', true],
    ['2016-12-31T23:59:60Z', true],
    ['2023-02-29T00:00:00Z', false],
    ['1900-02-29T00:00:00Z', false],
    ['2026-04-31T00:00:00Z', false],
    ['2026-13-01T00:00:00Z', false],
    ['2026-01-01T24:00:00Z', false],
    ['2026-01-01T08:00:00', false],
    ['2026-01-01T08:00:00+24:00', false],
    ['2016-12-07T11:10:00/2016-12-07T11:15:00', false],
    ['not a date', false],
  ])('%s is %s', (value, valid) => {
    expect(isDateTime(value)).toBe(valid);
    expect(isDateTime(value)).toBe(valid);
  });

  it('answers each of the remembered strings for itself, however they alternate', () => {
    const sequence = ['2026-01-01T08:00:00Z', '2026-02-30T08:00:00Z', '2026-01-01T08:00:00Z', '2026-02-30T08:00:00Z', '2026-01-01T08:00:01Z', '2026-02-30T08:00:00Z', '2026-01-01T08:00:00Z'];
    expect(sequence.map(isDateTime)).toEqual([true, false, true, false, true, false, true]);
  });
});
