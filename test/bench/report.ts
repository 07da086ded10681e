import { BENCH_KEYS, intervalOf, isMet, meetsTarget, valueOf } from './result.js';
import type { BenchKey, Result, Target } from './result.js';
import { spreadOf } from './stats.js';

/** Four significant digits, thousands separated: enough to compare, few enough to read. */
function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return String(Number(value.toPrecision(4)));
}

function formatTarget(target: Target | undefined): string {
  if (target === undefined) return 'report only';
  return target.intervalBound === undefined ? `${target.op} ${target.bound}` : `${target.op} ${target.bound}, CI ${target.op} ${target.intervalBound}`;
}

function verdict(result: Result): string {
  if (result.target === undefined) return '-';
  if (isMet(result, result.target)) return 'met';
  // The median alone meeting the target is not enough, but it is worth telling apart from a clear miss.
  return meetsTarget(valueOf(result), result.target) ? 'UNSURE' : 'MISSED';
}

function formatSpread(values: readonly number[]): string {
  const { median, min, max } = spreadOf(values);
  return `${formatNumber(median)}  (${formatNumber(min)} .. ${formatNumber(max)})`;
}

/** One key in full: each contender's figure (median and range over rounds), then the key's value against its target. */
export function formatResult(result: Result): string {
  const width = Math.max(6, ...result.figures.map((figure) => figure.label.length));
  const lines = [`${result.key}: ${result.title}`];
  for (const figure of result.figures) {
    lines.push(`  ${figure.label.padEnd(width)}  ${formatSpread(figure.perRound)} ${figure.unit}`);
  }
  const name = result.figures.length > 1 ? 'ratio' : 'value';
  const { low, high } = intervalOf(result);
  lines.push(`  ${name.padEnd(width)}  ${formatSpread(result.perRound)}  95 % CI [${formatNumber(low)}, ${formatNumber(high)}]  target ${formatTarget(result.target)}: ${verdict(result)}`);
  for (const note of result.notes) lines.push(`  (${note})`);
  return lines.join('\n');
}

/** Every key in a table: median, its 95 % interval, range over rounds, target and verdict. */
export function formatSummary(results: readonly Result[]): string {
  const rows = [['key', 'median', '95 % CI', 'min .. max', 'target', 'met']];
  for (const result of results) {
    const { min, max } = spreadOf(result.perRound);
    const { low, high } = intervalOf(result);
    rows.push([result.key, formatNumber(valueOf(result)), `${formatNumber(low)} .. ${formatNumber(high)}`, `${formatNumber(min)} .. ${formatNumber(max)}`, formatTarget(result.target), verdict(result)]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

/** `bench-results.json`: one plain number per key, the median over rounds, in the documented order. */
export function resultsJson(results: readonly Result[]): Record<BenchKey, number> {
  const byKey = new Map(results.map((result) => [result.key, result]));
  const json = {} as Record<BenchKey, number>;
  for (const key of BENCH_KEYS) {
    const result = byKey.get(key);
    if (result === undefined) throw new Error(`no figure for ${key}`);
    json[key] = Number(valueOf(result).toPrecision(4));
  }
  return json;
}

/** One key's interval and verdict, as `bench-intervals.json` holds it beside the plain medians. */
export interface KeyInterval {
  readonly median: number;
  readonly low: number;
  readonly high: number;
  readonly rounds: number;
  readonly target: string | null;
  readonly met: boolean | null;
}

/**
 * `bench-intervals.json`: per key, the median, its 95 % bootstrap interval, the number of rounds,
 * the target and whether the interval's bound meets it (null for a key reported only).
 * bench-results.json keeps one number per key for the tools that read it.
 */
export function intervalsJson(results: readonly Result[]): Record<string, KeyInterval> {
  const json: Record<string, KeyInterval> = {};
  for (const result of results) {
    const { low, high } = intervalOf(result);
    json[result.key] = {
      median: Number(valueOf(result).toPrecision(4)),
      low: Number(low.toPrecision(4)),
      high: Number(high.toPrecision(4)),
      rounds: result.perRound.length,
      target: result.target === undefined ? null : formatTarget(result.target),
      met: result.target === undefined ? null : isMet(result, result.target),
    };
  }
  return json;
}

/** A small scale table (how a figure grows with the work): one row per size, the median and its interval. */
export function scaleTable(what: string, sizeName: string, rows: ReadonlyArray<readonly [number, Result]>): string {
  const lines = [`${what} by ${sizeName}:`, `  ${sizeName.padStart(8)}  ${'median'.padStart(10)}  95 % CI`];
  for (const [size, result] of rows) {
    const { low, high } = intervalOf(result);
    const unit = result.figures[0]?.unit ?? '';
    lines.push(`  ${size.toLocaleString('en-US').padStart(8)}  ${formatNumber(valueOf(result)).padStart(10)}  ${formatNumber(low)} .. ${formatNumber(high)} ${unit}`);
  }
  return `${lines.join('\n')}\n`;
}
