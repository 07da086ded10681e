/** A point of a time series: `x` (time) and `y` (value). */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * The Theil-Sen slope (Theil 1950, Sen 1968): the median of the slopes between every pair of
 * points with distinct x. Up to 29 % of the points can be arbitrary outliers without moving it
 * far, where least squares follows a single bad reading. O(n^2) pairs: fine for the few dozen
 * readings of a bin's fill cycle. Undefined for fewer than two distinct x.
 */
export function theilSenSlope(points: readonly Point[]): number | undefined {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j]!.x - points[i]!.x;
      if (dx !== 0) slopes.push((points[j]!.y - points[i]!.y) / dx);
    }
  }
  return slopes.length === 0 ? undefined : median(slopes);
}

/** The median; the mean of the middle two for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
