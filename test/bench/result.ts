import type { Figure } from './measure.js';
import { bootstrapMedianInterval, spreadOf } from './stats.js';
import type { Interval } from './stats.js';

/** The keys of `bench-results.json`, in report order. */
export const BENCH_KEYS = [
  'memory_vs_moleculer',
  'memory_vs_emitter',
  'memory_observed_vs_plain',
  'fanout10_vs_emitter',
  'nats_core_vs_raw',
  'jetstream_vs_raw',
  'jetstream_eps_consumers1',
  'jetstream_eps_consumers4',
  'jetstream_eps_consumers16',
  'request_p50_vs_raw',
  'request_p99_vs_raw',
  'subs10000_vs_10',
  'start10_ms',
  'start100_ms',
  'start1000_ms',
  'rss_kb_per_plugin',
  'rss_mb_demo',
  'memory_eps_subs1',
  'memory_eps_subs10',
  'memory_eps_subs100',
  'route_p99_ms_25',
  'route_p99_ms_250',
  'route_p99_ms_2500',
  'chain_p50_ms_memory',
  'chain_p99_ms_memory',
  'chain_p50_ms_nats',
  'chain_p99_ms_nats',
  'chain_p99_loaded_ratio',
  'cvrp_gap_pct',
  'cvrp_ms_100',
  'http_ingest_vs_express',
  'charging_alloc_ms_10k',
] as const;

export type BenchKey = (typeof BENCH_KEYS)[number];

/** What a key's median, and the bound of its interval on the far side of the target, must satisfy; a key without one is reported only. */
export interface Target {
  readonly op: '>=' | '<=' | '<';
  readonly bound: number;
  /**
   * Where the median must meet `bound` and only the interval's far bound this looser one (issue
   * #15's rule for `jetstream_vs_raw`: median >= 0.9, interval low >= 0.8). Without it the whole
   * interval must meet `bound`.
   */
  readonly intervalBound?: number;
}

/** One key of the bench: the figures behind it and its value in every round. */
export interface Result {
  readonly key: BenchKey;
  /** What was compared with what, in a line. */
  readonly title: string;
  /** Polis first, then its baseline (none for a key that is an absolute figure). */
  readonly figures: readonly Figure[];
  /** The key's value per round: the ratio of that round's figures, or the figure itself. */
  readonly perRound: readonly number[];
  readonly target: Target | undefined;
  /** Conditions a reader needs to judge the figure (the server used, the window, ...). */
  readonly notes: readonly string[];
  /** Zero is a valid value (a gap to an optimum), not a sign that nothing was measured. */
  readonly allowZero?: boolean;
}

/**
 * A key that is the ratio of two figures, taken round by round (both were measured a moment
 * apart), so the spread of the ratio shows how much the machine moved under the comparison.
 */
export function ratioResult(spec: {
  key: BenchKey;
  title: string;
  numerator: Figure;
  denominator: Figure;
  target?: Target;
  notes?: readonly string[];
}): Result {
  const { numerator, denominator } = spec;
  return {
    key: spec.key,
    title: spec.title,
    figures: [numerator, denominator],
    perRound: numerator.perRound.map((value, round) => value / denominator.perRound[round]!),
    target: spec.target,
    notes: spec.notes ?? [],
  };
}

/** The number that goes into `bench-results.json`: the median over rounds. */
export function valueOf(result: Result): number {
  return spreadOf(result.perRound).median;
}

/** The 95 % bootstrap interval of the key's median over rounds. */
export function intervalOf(result: Result): Interval {
  return bootstrapMedianInterval(result.perRound);
}

/**
 * A key is met only when its whole interval is: for `>=` its low bound, for `<=` and `<` its high
 * bound must satisfy the target (or, with `intervalBound`, the median the target and that bound
 * the looser one). A median that meets the target by luck of the rounds does not.
 */
export function isMet(result: Result, target: Target): boolean {
  const { low, high } = intervalOf(result);
  const far = target.op === '>=' ? low : high;
  if (target.intervalBound === undefined) return meetsTarget(far, target);
  return meetsTarget(valueOf(result), target) && meetsTarget(far, { op: target.op, bound: target.intervalBound });
}

export function meetsTarget(value: number, target: Target): boolean {
  switch (target.op) {
    case '>=':
      return value >= target.bound;
    case '<=':
      return value <= target.bound;
    case '<':
      return value < target.bound;
  }
}
