import { describe, expect, it } from 'vitest';
import { isMet } from './result.js';
import type { Result } from './result.js';
import { parseSettings } from './settings.js';
import { bootstrapMedianInterval, quantileOfSorted } from './stats.js';

const result = (perRound: number[]): Result => ({ key: 'request_p50_vs_raw', title: '', figures: [], perRound, target: { op: '<=', bound: 1.2 }, notes: [] });

describe('the bench statistics', () => {
  it('bounds the median of the rounds by a reproducible interval inside their range', () => {
    const rounds = [1.1, 1.15, 1.05, 1.3, 1.12, 1.08, 1.2, 1.11, 1.09, 1.4, 1.13];
    const interval = bootstrapMedianInterval(rounds);
    expect(interval.low).toBeGreaterThanOrEqual(1.05);
    expect(interval.high).toBeLessThanOrEqual(1.4);
    expect(interval.low).toBeLessThanOrEqual(1.12);
    expect(interval.high).toBeGreaterThanOrEqual(1.12);
    expect(bootstrapMedianInterval(rounds)).toEqual(interval);
  });

  it('takes nearest-rank quantiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantileOfSorted(sorted, 0.99)).toBe(99);
    expect(quantileOfSorted(sorted, 0.5)).toBe(50);
    expect(quantileOfSorted([7], 0.99)).toBe(7);
  });

  it('meets a target only when the interval bound on its far side does', () => {
    expect(isMet(result([1.0, 1.05, 1.1, 1.02, 1.08]), { op: '<=', bound: 1.2 })).toBe(true);
    // The median, 1.15, meets <= 1.2, but three rounds of seven are far above it.
    const spread = result([1.1, 1.9, 1.05, 1.8, 1.15, 1.7, 1.1]);
    expect(isMet(spread, { op: '<=', bound: 1.2 })).toBe(false);
    expect(isMet(spread, { op: '>=', bound: 1.0 })).toBe(true);
  });

  it('with an interval bound, needs the median to meet the target and the interval only the looser bound', () => {
    // Median 0.92, interval low about 0.82: jetstream_vs_raw's rule (>= 0.9, CI low >= 0.8).
    const rounds = result([0.92, 0.95, 0.82, 0.93, 0.9, 0.96, 0.85, 0.91, 0.94, 0.88, 0.92]);
    expect(isMet(rounds, { op: '>=', bound: 0.9, intervalBound: 0.8 })).toBe(true);
    expect(isMet(rounds, { op: '>=', bound: 0.9 })).toBe(false);
    expect(isMet(rounds, { op: '>=', bound: 0.95, intervalBound: 0.8 })).toBe(false);
    expect(isMet(rounds, { op: '>=', bound: 0.9, intervalBound: 0.9 })).toBe(false);
  });

  it('reads --rounds and refuses a bad one', () => {
    expect(parseSettings(['--rounds', '21']).rounds).toBe(21);
    expect(parseSettings([]).rounds).toBe(11);
    expect(parseSettings(['--quick']).rounds).toBe(2);
    expect(() => parseSettings(['--rounds', '0'])).toThrow(/--rounds/);
    expect(() => parseSettings(['--rounds'])).toThrow(/--rounds/);
  });
});
