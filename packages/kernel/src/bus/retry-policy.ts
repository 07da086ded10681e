import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { ErrorCode, RetryPolicy } from '@polis/plugin-api';

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 4,
  initialDelayMs: 100,
  backoffFactor: 4,
  maxDelayMs: 30_000,
});

export function resolveRetryPolicy(base: RetryPolicy, override: Partial<RetryPolicy> | undefined): RetryPolicy {
  if (!override) return base;
  const policy = { ...base, ...override };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be an integer >= 1, got ${policy.maxAttempts}`);
  }
  if (!(policy.initialDelayMs >= 0) || !(policy.backoffFactor >= 1) || !(policy.maxDelayMs >= 0)) {
    throw new RangeError('retry delays must be >= 0 and backoffFactor >= 1');
  }
  return policy;
}

/** Delay before attempt `nextAttempt` (2 is the first retry). */
export function retryDelayMs(policy: RetryPolicy, nextAttempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.backoffFactor ** (nextAttempt - 2));
}

/**
 * Errors no retry can cure: the event itself is wrong, so it goes straight to the dead letters.
 * An unknown type is not among them: on another node its schema may arrive a moment later.
 */
const PERMANENT: ReadonlySet<ErrorCode> = new Set([ErrorCodes.EVENT_INVALID, ErrorCodes.EVENT_UNDECODABLE, ErrorCodes.EVENT_TOO_LARGE, ErrorCodes.EVENT_VERSION_INCOMPATIBLE]);

export function isRetryable(error: unknown): boolean {
  return !(error instanceof PolisError && PERMANENT.has(error.code));
}
