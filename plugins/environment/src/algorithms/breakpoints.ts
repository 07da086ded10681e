/**
 * One row of a breakpoint table: concentrations `cLo`..`cHi` map linearly onto index values
 * `iLo`..`iHi`. Both standards use this piecewise-linear form (EPA-454/B-24-002 Equation 1,
 * HJ 633-2012 Formula 1): I = (iHi - iLo) / (cHi - cLo) x (C - cLo) + iLo.
 */
export interface Segment {
  readonly cLo: number;
  readonly cHi: number;
  readonly iLo: number;
  readonly iHi: number;
}

/** The unrounded index of `concentration` on `segment`'s line. */
export function interpolate(concentration: number, segment: Segment): number {
  const { cLo, cHi, iLo, iHi } = segment;
  return ((iHi - iLo) / (cHi - cLo)) * (concentration - cLo) + iLo;
}

/** The row holding `concentration` (cLo <= C <= cHi), or undefined if none does. */
export function segmentOf(concentration: number, table: readonly Segment[]): Segment | undefined {
  return table.find((segment) => concentration >= segment.cLo && concentration <= segment.cHi);
}

/**
 * Cuts `value` down to `decimals` decimal places (EPA truncates, it does not round). The small
 * tolerance keeps binary fractions such as 0.07 x 1000 = 70.00000000000001 or 0.29 x 100 =
 * 28.999999999999996 on the decimal they denote.
 */
export function truncate(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.floor(value * scale + 1e-7) / scale;
}

/**
 * Rounds an index to the nearest integer, halves up. The tolerance keeps values that are exactly
 * n.5 in decimal (0.078 ppm of O3 gives 125.5) from rounding down when binary arithmetic lands a
 * hair below.
 */
export function roundIndex(value: number): number {
  return Math.floor(value + 0.5 + 1e-9);
}

/** Builds a contiguous table (HJ 633 style) from matching lists of concentration and index limits. */
export function contiguousTable(concentrations: readonly number[], indices: readonly number[]): Segment[] {
  return concentrations.slice(1).map((cHi, i) => ({ cLo: concentrations[i]!, cHi, iLo: indices[i]!, iHi: indices[i + 1]! }));
}
