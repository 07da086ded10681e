import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads a number as seconds', () => {
    expect(parseDuration(90)).toBe(90_000);
    expect(parseDuration(0.5)).toBe(500);
    expect(parseDuration('30')).toBe(30_000);
  });

  it('adds amounts with units', () => {
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1.5m')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration(' 1d 1h ')).toBe(90_000_000);
  });

  it('refuses anything else', () => {
    for (const bad of ['', 'soon', '-5s', '1 year', '5x', 's', '1e3s', '1m-2s']) expect(parseDuration(bad), bad).toBeUndefined();
    expect(parseDuration(-1)).toBeUndefined();
    expect(parseDuration(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(parseDuration(Number.NaN)).toBeUndefined();
  });
});
