import { describe, expect, it } from 'vitest';
import { jsonSizeBound } from './json-size.js';

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('jsonSizeBound', () => {
  it.each([
    ['a detector reading', { detectorId: 'd-n12-n22-1', observedAt: '2026-01-01T08:00:00.000Z', flowVph: 640.5, ok: true, lanes: [1, 2, null] }],
    ['escapes and non-ASCII', { text: '"quoted"\n\u0001 é 漢字 😀', nested: [{ deep: ['x'] }] }],
    ['extreme numbers', [Number.MAX_VALUE, -Number.MIN_VALUE, 1e-7, -123456789.123456]],
    ['an empty object', {}],
  ])('is never below the real size for %s', (_name, value) => {
    expect(jsonSizeBound(value, Infinity)).toBeGreaterThanOrEqual(bytes(value));
  });

  it('stays within a small factor of the real size for ordinary data', () => {
    const reading = { detectorId: 'd-n12-n22-1', observedAt: '2026-01-01T08:00:00.000Z', intervalS: 20, flowVph: 640.5, occupancyPct: 12.3, speedKph: 43.1 };
    expect(jsonSizeBound(reading, Infinity)).toBeLessThan(bytes(reading) * 8);
  });

  it('stops counting once over the limit', () => {
    const strings = Array.from({ length: 1000 }, () => 'x'.repeat(100));
    expect(jsonSizeBound({ strings }, 1000)).toBeLessThan(2000);
    expect(jsonSizeBound({ strings }, 1000)).toBeGreaterThan(1000);
  });
});
