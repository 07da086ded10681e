import { BENCH_KEYS } from './result.js';
import type { Result } from './result.js';
import type { BenchSettings } from './settings.js';

/**
 * What a run must produce, whatever the machine's speed (this is all `--quick` asserts in CI):
 * every key, and every figure behind it a finite positive number (or zero, where a key allows it) in every round. Speeds are
 * never judged here; noisy CI machines would make that a coin toss.
 */
export function problemsOf(results: readonly Result[], settings: BenchSettings): string[] {
  const problems: string[] = [];
  const seen = new Set(results.map((result) => result.key));
  // With --only, the keys of the scenarios left out are expected to be missing.
  if (settings.only === undefined) for (const key of BENCH_KEYS) if (!seen.has(key)) problems.push(`${key}: no figure`);
  for (const result of results) {
    const series = [...result.figures.map((figure) => ({ name: figure.label, values: figure.perRound })), { name: 'value', values: result.perRound }];
    for (const { name, values } of series) {
      if (values.length !== settings.rounds) problems.push(`${result.key}: ${name} has ${values.length} rounds, not ${settings.rounds}`);
      const bad = values.filter((value) => !Number.isFinite(value) || value < 0 || (value === 0 && result.allowZero !== true));
      if (bad.length > 0) problems.push(`${result.key}: ${name} is not a finite ${result.allowZero === true ? 'non-negative' : 'positive'} number (${bad.join(', ')})`);
    }
  }
  return problems;
}
