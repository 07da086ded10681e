/** The longest delay a timer can wait in Node (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90`, `'90s'`, `'1m30s'`, `'1.5h'`, `'500ms'`: a number alone is seconds. */
export const DURATION_PATTERN = '^\\s*(?:\\d+(?:\\.\\d+)?\\s*(?:ms|s|m|h|d)\\s*)+$|^\\s*\\d+(?:\\.\\d+)?\\s*$';

/**
 * Milliseconds of a duration written as seconds (a number) or as a string of amounts with units
 * (`ms`, `s`, `m`, `h`, `d`), such as `'1m30s'`. Hand-written because the grammar is five units:
 * the common libraries accept far more (`'1 year'`, negative and fuzzy amounts) than a
 * deployment file should. Returns undefined for anything else, or for a non-finite result.
 */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  if (!new RegExp(DURATION_PATTERN).test(value)) return undefined;
  const trimmed = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/g)) total += Number(amount) * UNIT_MS[unit!]!;
  return Number.isFinite(total) ? total : undefined;
}
