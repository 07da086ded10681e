import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAjv } from './ajv-factory.js';

// ajv as it comes, counting every string's code points: what the kernel's keyword must agree with.
const stock = new Ajv2020({ allErrors: true, strict: false });
const ours = createAjv();

describe('minLength and maxLength', () => {
  it('count Unicode code points, not UTF-16 units', () => {
    const validate = ours.compile({ type: 'string', minLength: 3, maxLength: 3 });
    expect(validate('abc')).toBe(true);
    expect(validate('😀😀😀')).toBe(true); // 6 units, 3 code points
    expect(validate('😀😀')).toBe(false); // 4 units, 2 code points
    expect(validate('😀😀😀😀')).toBe(false);
    expect(validate('ab')).toBe(false);
  });

  it('accept and refuse exactly what stock ajv does, with the same errors', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.nat(10), fc.nat(10), (text, a, b) => {
        const schema = { type: 'object', properties: { s: { type: 'string', minLength: Math.min(a, b), maxLength: Math.max(a, b) } } };
        const expected = stock.compile(schema);
        const actual = ours.compile(schema);
        const expectedValid = expected({ s: text });
        expect(actual({ s: text })).toBe(expectedValid);
        expect(actual.errors ?? null).toEqual(expected.errors ?? null);
      }),
      { numRuns: 500 },
    );
  });

  it('take $data limits like stock ajv', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer' }, s: { type: 'string', maxLength: { $data: '1/n' } } } };
    const withData = (ajv: Ajv2020) => ajv.compile(schema);
    const stockData = new Ajv2020({ allErrors: true, strict: false, $data: true });
    const oursData = createAjv({ $data: true });
    for (const value of [{ n: 2, s: '😀😀' }, { n: 2, s: '😀😀😀' }, { n: 1, s: '' }]) {
      const expected = withData(stockData);
      const actual = withData(oursData);
      expect(actual(value)).toBe(expected(value));
      expect(actual.errors ?? null).toEqual(expected.errors ?? null);
    }
  });
});
