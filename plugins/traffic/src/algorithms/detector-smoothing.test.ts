import { describe, expect, it } from 'vitest';
import { fresh, smooth } from './detector-smoothing.js';

describe('smooth', () => {
  it('starts from the first reading', () => {
    expect(smooth(undefined, 600, 0, 60_000)).toEqual({ value: 600, atMs: 0 });
  });

  it('weighs a reading by 1 - exp(-dt / tau): 20 s after the last with tau 60 s, weight 0.2835', () => {
    // 1 - e^(-1/3) = 0.28347; 600 + 0.28347 * (900 - 600) = 685.04
    const next = smooth({ value: 600, atMs: 0 }, 900, 20_000, 60_000);
    expect(next.value).toBeCloseTo(685.04, 2);
    expect(next.atMs).toBe(20_000);
  });

  it('lets a reading after a long silence all but replace the value', () => {
    // 10 tau later: weight 1 - e^-10 = 0.99995
    expect(smooth({ value: 600, atMs: 0 }, 100, 600_000, 60_000).value).toBeCloseTo(100.02, 2);
  });

  it('gives two 10 s steps the same result as one 20 s step of the same value', () => {
    const twice = smooth(smooth({ value: 0, atMs: 0 }, 1000, 10_000, 60_000), 1000, 20_000, 60_000);
    expect(twice.value).toBeCloseTo(smooth({ value: 0, atMs: 0 }, 1000, 20_000, 60_000).value, 9);
  });

  it('refuses a reading older than the value it would update', () => {
    expect(() => smooth({ value: 1, atMs: 5000 }, 2, 4000, 60_000)).toThrow(/atMs/);
  });
});

describe('fresh', () => {
  it('gives the value while it is young enough, and nothing once stale', () => {
    const value = { value: 420, atMs: 1000 };
    expect(fresh(value, 181_000, 180_000)).toBe(420);
    expect(fresh(value, 181_001, 180_000)).toBeUndefined();
    expect(fresh(undefined, 0, 180_000)).toBeUndefined();
  });
});
