import { describe, expect, it } from 'vitest';
import { nextShiftStart } from './shift-schedule.js';

describe('nextShiftStart', () => {
  const shenzhen = 8 * 60;

  it('finds the next local start time: 16:00 in Shenzhen (08:00 UTC) is followed by 06:00 next morning (22:00 UTC)', () => {
    expect(nextShiftStart(Date.UTC(2026, 0, 1, 8, 0), ['06:00', '14:00'], shenzhen)).toBe(Date.UTC(2026, 0, 1, 22, 0));
  });

  it('takes a later start the same local day, across the UTC date line', () => {
    // 23:30 UTC on 1 January is 07:30 on 2 January in Shenzhen: next is 14:00 local, 06:00 UTC.
    expect(nextShiftStart(Date.UTC(2026, 0, 1, 23, 30), ['14:00', '06:00'], shenzhen)).toBe(Date.UTC(2026, 0, 2, 6, 0));
  });

  it('is strictly after now: a shift starting this minute is not next', () => {
    expect(nextShiftStart(Date.UTC(2026, 0, 1, 6, 0), ['06:00'], 0)).toBe(Date.UTC(2026, 0, 2, 6, 0));
  });

  it('works west of Greenwich', () => {
    // 03:00 UTC is 22:00 the day before in UTC-5: next 05:30 local is 10:30 UTC.
    expect(nextShiftStart(Date.UTC(2026, 0, 1, 3, 0), ['05:30'], -300)).toBe(Date.UTC(2026, 0, 1, 10, 30));
  });

  it('refuses times that are not HH:MM', () => {
    expect(() => nextShiftStart(0, ['6am'], 0)).toThrow(/"6am" is not HH:MM/);
    expect(() => nextShiftStart(0, [], 0)).toThrow(RangeError);
  });
});
