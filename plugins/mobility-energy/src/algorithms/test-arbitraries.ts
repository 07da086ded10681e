// fast-check arbitraries shared by the allocator's property tests.
import fc from 'fast-check';
import type { GridLimits } from './allocate.js';

/**
 * Uniform over [0, max] at 10 W steps, with an odd fraction now and then. (`fc.double` spreads
 * its draws over the representable doubles, so most would be denormal-small and every feeder
 * would have room to spare.)
 */
export const kw = (max: number) =>
  fc.tuple(fc.integer({ min: 0, max: max * 100 }), fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.double({ min: 0, max: 0.01, noNaN: true }), weight: 1 })).map(([steps, odd]) => steps / 100 + odd);

/** Realistic minimums (6 A single- and three-phase) and arbitrary ones. */
export const minimum = fc.oneof(fc.constant(0), fc.constant(1.38), fc.constant(4.14), kw(12));

/** `arbitrary` with probability `p`, otherwise undefined. */
export const sometimes = <T>(arbitrary: fc.Arbitrary<T>, p: number) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: Math.round((1 - p) * 100) }, { arbitrary, weight: Math.round(p * 100) });

/** Random grids: up to `maxFeeders` feeders, some under one of up to four transformers. */
export function gridOf(maxFeeders: number): fc.Arbitrary<GridLimits> {
  return fc
    .record({
      transformers: fc.array(kw(400), { maxLength: 4 }),
      feeders: fc.array(fc.record({ capKw: kw(250), transformer: fc.nat(5) }), { minLength: 1, maxLength: maxFeeders }),
    })
    .map(({ transformers, feeders }) => ({
      transformers: transformers.map((capKw, t) => ({ id: `t${t}`, capKw })),
      feeders: feeders.map(({ capKw, transformer }, f) => ({ id: `f${f}`, capKw, transformerId: transformer < transformers.length ? `t${transformer}` : undefined })),
    }));
}
