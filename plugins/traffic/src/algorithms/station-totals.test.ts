import { describe, expect, it } from 'vitest';
import { StationTotals } from './station-totals.js';

const at = (timeMs: number, flowVph: number, occupancyPct: number, speedKph = 40) => ({ timeMs, intervalS: 30, flowVph, occupancyPct, speedKph });

describe('StationTotals', () => {
  it('sums one interval of every lane into one carriageway reading, once', () => {
    const totals = new StationTotals(['a', 'b', 'c'], 5000);
    expect(totals.add('a', at(30_000, 120, 2, 50))).toBeUndefined();
    expect(totals.add('b', at(30_100, 240, 4, 20))).toBeUndefined();
    const total = totals.add('c', at(30_200, 0, 9));
    expect(total).toEqual({ timeMs: 30_200, intervalS: 30, flowVph: 360, occupancyPct: 5, speedKph: 30 });
    // A repeated lane reading of the same interval gives no second total.
    expect(totals.add('c', at(30_300, 0, 9))).toBeUndefined();
  });

  it('waits for every lane of the next interval and ignores a lane of another station', () => {
    const totals = new StationTotals(['a', 'b'], 5000);
    totals.add('a', at(30_000, 120, 2));
    totals.add('b', at(30_000, 120, 2));
    expect(totals.add('a', at(60_000, 0, 0))).toBeUndefined();
    expect(totals.add('x', at(60_000, 0, 0))).toBeUndefined();
    expect(totals.add('b', at(60_000, 0, 0))).toEqual({ timeMs: 60_000, intervalS: 30, flowVph: 0, occupancyPct: 0, speedKph: 40 });
  });
});
