import { describe, expect, it } from 'vitest';
import { TrafficInputError } from './errors.js';
import { numberProblem, requireNumber } from './number-checks.js';

describe('numberProblem', () => {
  it('accepts a value inside every bound', () => {
    expect(numberProblem(50, { min: 0, max: 100 })).toBeUndefined();
    expect(numberProblem(3, { integer: true, above: 0 })).toBeUndefined();
  });

  it('says what was expected and what was given', () => {
    expect(numberProblem(-3, { above: 0 })).toBe('must be a finite number > 0, got -3');
    expect(numberProblem(101, { min: 0, max: 100 })).toBe('must be a finite number >= 0 and <= 100, got 101');
    expect(numberProblem(1.5, { integer: true, min: 1 })).toBe('must be an integer >= 1, got 1.5');
  });

  it('rejects NaN, infinities and non-numbers even without bounds', () => {
    expect(numberProblem(Number.NaN, {})).toBe('must be a finite number, got NaN');
    expect(numberProblem(Number.POSITIVE_INFINITY, {})).toBe('must be a finite number, got Infinity');
    expect(numberProblem('12', {})).toBe('must be a finite number, got "12"');
    expect(numberProblem(undefined, {})).toBe('must be a finite number, got undefined');
  });
});

describe('requireNumber', () => {
  it('throws a TrafficInputError at the given path when the rule is broken', () => {
    expect(() => requireNumber(-1, 'reading.speedKph', { min: 0 })).toThrow(TrafficInputError);
    expect(() => requireNumber(-1, 'reading.speedKph', { min: 0 })).toThrow('reading.speedKph: must be a finite number >= 0, got -1');
  });

  it('returns quietly when the rule holds', () => {
    expect(() => requireNumber(0, 'reading.speedKph', { min: 0 })).not.toThrow();
  });
});
