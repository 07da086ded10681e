import { TrafficInputError } from './errors.js';

/** What a numeric input must be. Every rule also demands a finite number (no NaN, no Infinity). */
export interface NumberRule {
  readonly integer?: boolean;
  /** Inclusive lower bound. */
  readonly min?: number;
  /** Exclusive lower bound, for quantities such as lengths that must be positive. */
  readonly above?: number;
  /** Inclusive upper bound. */
  readonly max?: number;
}

/** Returns why `value` breaks `rule` (for example `must be a finite number > 0, got -3`), or undefined when it does not. */
export function numberProblem(value: unknown, rule: NumberRule): string | undefined {
  const fits =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.max === undefined || value <= rule.max);
  if (fits) return undefined;
  const bounds = [
    rule.min === undefined ? undefined : `>= ${rule.min}`,
    rule.above === undefined ? undefined : `> ${rule.above}`,
    rule.max === undefined ? undefined : `<= ${rule.max}`,
  ].filter((bound) => bound !== undefined);
  const expected = [rule.integer ? 'an integer' : 'a finite number', bounds.join(' and ')].filter(Boolean).join(' ');
  return `must be ${expected}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`;
}

/** Throws a {@link TrafficInputError} at `path` unless `value` satisfies `rule`. */
export function requireNumber(value: unknown, path: string, rule: NumberRule): void {
  const problem = numberProblem(value, rule);
  if (problem !== undefined) throw new TrafficInputError(path, problem);
}
