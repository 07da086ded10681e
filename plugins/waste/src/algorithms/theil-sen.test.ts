import { describe, expect, it } from 'vitest';
import { median, theilSenSlope } from './theil-sen.js';

describe('theilSenSlope', () => {
  it('is the slope of points on a line', () => {
    expect(theilSenSlope([{ x: 0, y: 1 }, { x: 2, y: 5 }, { x: 3, y: 7 }])).toBe(2);
  });

  it('ignores one wild point among five: the slopes 2, 2, 2, 2, 2, 2, 25, 32.7, 48.5, 94 have median 2', () => {
    const points = [0, 2, 4, 6, 100].map((y, x) => ({ x, y }));
    expect(theilSenSlope(points)).toBe(2);
    // Least squares would give 19.6 here.
  });

  it('takes the mean of the middle two slopes of an even count', () => {
    // Slopes of (0,0) (1,1) (2,4): 1, 2, 3 -> odd; add (3, 3): 1, 2, 1, 3, 1, -1 -> sorted -1 1 1 1 2 3 -> 1
    expect(theilSenSlope([{ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 2, y: 4 }, { x: 3, y: 3 }])).toBe(1);
  });

  it('skips pairs at the same x and is undefined without two distinct x', () => {
    expect(theilSenSlope([{ x: 1, y: 0 }, { x: 1, y: 9 }, { x: 2, y: 2 }])).toBe(-2.5);
    expect(theilSenSlope([{ x: 1, y: 0 }, { x: 1, y: 9 }])).toBeUndefined();
    expect(theilSenSlope([])).toBeUndefined();
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });
});
