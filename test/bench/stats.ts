// Bootstrap resampling needs reproducibility, not cryptographic quality: the demo's mulberry32.
import { seededRandom } from '../../examples/city-demo/src/seeded-random.js';

/** The middle of a set of figures and how far they spread. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('no values to summarize');
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** The median: robust to the one round a GC pause or a noisy neighbour spoiled. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The `q` quantile (0..1) of already sorted values, nearest rank: p99 of latencies, bounds of an interval. */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('no values to take a quantile of');
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** A 95 % confidence interval of a median. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

const RESAMPLES = 2_000;

/**
 * The 95 % percentile-bootstrap interval of the median over rounds: the rounds are resampled with
 * replacement RESAMPLES times, and the interval spans the 2.5th to 97.5th percentile of the
 * resampled medians. A fixed-seed generator makes the interval of a given set of rounds
 * reproducible. With few rounds the interval is as wide as the rounds themselves, which is the
 * honest answer: five rounds cannot pin a median down.
 */
export function bootstrapMedianInterval(values: readonly number[]): Interval {
  if (values.length === 0) throw new Error('no values to bootstrap');
  const random = seededRandom(0x5eed);
  const medians = new Float64Array(RESAMPLES);
  const sample = new Array<number>(values.length);
  for (let r = 0; r < RESAMPLES; r++) {
    for (let i = 0; i < values.length; i++) sample[i] = values[Math.floor(random() * values.length)]!;
    medians[r] = median(sample);
  }
  medians.sort();
  const sorted = Array.from(medians);
  return { low: quantileOfSorted(sorted, 0.025), high: quantileOfSorted(sorted, 0.975) };
}

