import { ErrorCodes, PolisError } from '@polis/plugin-api';

/**
 * Event types are dot-separated tokens, as NATS subjects are. A pattern may use `*` for exactly
 * one token and a final `>` for one or more tokens, so `traffic.*.detected` and `safety.>`
 * mean here what they mean on NATS.
 */
const TOKEN = /^[A-Za-z0-9_-]+$/;
const EVENT_TYPE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*){2,}$/;

/** Why `pattern` is not a valid subscription pattern, or undefined if it is. */
export function patternProblem(pattern: string): string | undefined {
  if (typeof pattern !== 'string' || pattern.length === 0) return 'a pattern must be a non-empty string';
  const tokens = pattern.split('.');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '>') {
      if (i !== tokens.length - 1) return `'>' may only be the last token (in '${pattern}')`;
    } else if (token !== '*' && !TOKEN.test(token)) {
      return `token '${token}' in '${pattern}' must be '*', '>' or letters, digits, '-' and '_'`;
    }
  }
  return undefined;
}

/** Why `type` is not a valid event type name, or undefined if it is. */
export function eventTypeProblem(type: string): string | undefined {
  if (typeof type !== 'string' || !EVENT_TYPE.test(type)) {
    return `event type '${String(type)}' must be '<domain>.<entity>.<action>': at least three lower-case dot-separated tokens`;
  }
  return undefined;
}

/** Throws ARGUMENT_INVALID if `pattern` is not a valid subscription pattern. */
export function assertPattern(pattern: string, plugin?: string): void {
  const problem = patternProblem(pattern);
  if (problem) throw new PolisError(ErrorCodes.ARGUMENT_INVALID, `invalid pattern: ${problem}`, { plugin, details: { argument: 'pattern', pattern: typeof pattern === 'string' ? pattern : typeof pattern } });
}

/** Whether a concrete event type matches a pattern (used off the hot path; the index does the rest). */
export function matchesPattern(pattern: string, type: string): boolean {
  if (typeof pattern !== 'string' || typeof type !== 'string') return false;
  if (pattern === type) return true;
  const p = pattern.split('.');
  const t = type.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return t.length > i;
    if (i >= t.length) return false;
    if (p[i] !== '*' && p[i] !== t[i]) return false;
  }
  return p.length === t.length;
}

/**
 * Whether every type `inner` can match is also matched by `outer`: a plugin may subscribe to
 * `traffic.incident.*` when it declared `traffic.>`.
 */
export function patternCovers(outer: string, inner: string): boolean {
  if (typeof outer !== 'string' || typeof inner !== 'string') return false;
  const o = outer.split('.');
  const n = inner.split('.');
  for (let i = 0; i < o.length; i++) {
    if (o[i] === '>') return n.length > i;
    if (i >= n.length) return false;
    if (n[i] === '>') return false;
    if (o[i] !== '*' && o[i] !== n[i]) return false;
  }
  return o.length === n.length;
}
