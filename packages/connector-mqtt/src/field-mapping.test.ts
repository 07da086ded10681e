import { describe, expect, it } from 'vitest';
import { MappingError, mapFields } from './field-mapping.js';

describe('mapFields', () => {
  const levels = ['city', 'detectors', 'd-7', 'lane', '2'];

  it('takes pointers into the payload, topic levels and constants, nesting dotted targets', () => {
    const payload = { r: [{ v: 40 }], 'a/b': 1, 'c~d': 2 };
    expect(mapFields({ 'speed.kph': { payload: '/r/0/v' }, id: { topic: 2 }, lane: { topic: 4, as: 'integer' }, interval: { value: 20 }, slash: { payload: '/a~1b' }, tilde: { payload: '/c~0d' } }, payload, levels)).toEqual({
      speed: { kph: 40 },
      id: 'd-7',
      lane: 2,
      interval: 20,
      slash: 1,
      tilde: 2,
    });
  });

  it('leaves out a missing value, or uses its default', () => {
    expect(mapFields({ a: { payload: '/missing' }, b: { payload: '/missing', default: 0 } }, {}, levels)).toEqual({ b: 0 });
  });

  it('converts timestamps from epoch seconds, milliseconds and date strings to RFC 3339', () => {
    const fields = { s: { payload: '/s', as: 'timestamp' }, ms: { payload: '/ms', as: 'timestamp' }, iso: { payload: '/iso', as: 'timestamp' } } as const;
    expect(mapFields(fields, { s: 1_767_254_400, ms: 1_767_254_400_000, iso: '2026-01-01T16:00:00+08:00' }, levels)).toEqual({
      s: '2026-01-01T08:00:00.000Z',
      ms: '2026-01-01T08:00:00.000Z',
      iso: '2026-01-01T08:00:00.000Z',
    });
  });

  it.each([
    [{ x: { payload: '/v', as: 'number' } }, { v: 'fast' }],
    [{ x: { payload: '/v', as: 'integer' } }, { v: 1.5 }],
    [{ x: { payload: '/v', as: 'boolean' } }, { v: 'maybe' }],
    [{ x: { payload: '/v', as: 'timestamp' } }, { v: 'not a date' }],
    [{ x: { payload: '/v', as: 'string' } }, { v: { nested: true } }],
    [{ x: { payload: '/v/w' } }, { v: 3 }],
    [{ x: { topic: 9 } }, {}],
  ] as const)('refuses what cannot be mapped: %j from %j', (fields, payload) => {
    expect(() => mapFields(fields, payload, levels)).toThrow(MappingError);
  });
});
