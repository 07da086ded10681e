import { ErrorCodes, isPolisError } from '@polis/plugin-api';
import type { ErrorCode, RetryPolicy } from '@polis/plugin-api';
import { invalidArgument, isOptions } from '../runtime/invalid-argument.js';

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 4,
  initialDelayMs: 100,
  backoffFactor: 4,
  maxDelayMs: 30_000,
});

/** `base` with `override` applied; throws ARGUMENT_INVALID for a policy that could never run. */
export function resolveRetryPolicy(base: RetryPolicy, override: Partial<RetryPolicy> | undefined, plugin?: string): RetryPolicy {
  if (override === undefined) return base;
  if (!isOptions(override)) throw invalidArgument('retry', 'an object', override, plugin);
  const policy = { ...base, ...override };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw invalidArgument('retry.maxAttempts', 'an integer >= 1', policy.maxAttempts, plugin);
  if (!(policy.initialDelayMs >= 0)) throw invalidArgument('retry.initialDelayMs', 'a number >= 0', policy.initialDelayMs, plugin);
  if (!(policy.backoffFactor >= 1)) throw invalidArgument('retry.backoffFactor', 'a number >= 1', policy.backoffFactor, plugin);
  if (!(policy.maxDelayMs >= 0)) throw invalidArgument('retry.maxDelayMs', 'a number >= 0', policy.maxDelayMs, plugin);
  return policy;
}

/** Delay before attempt `nextAttempt` (2 is the first retry). */
export function retryDelayMs(policy: RetryPolicy, nextAttempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.backoffFactor ** (nextAttempt - 2));
}

/**
 * Errors no retry can cure, so the event goes straight to the dead letters: the event itself is
 * wrong, or the handler does what its manifest forbids or passes arguments that can never be
 * right (the same code runs on every attempt). An unknown type is not among them: on another node
 * its schema may arrive a moment later.
 */
const PERMANENT: ReadonlySet<ErrorCode> = new Set([
  ErrorCodes.EVENT_INVALID,
  ErrorCodes.EVENT_UNDECODABLE,
  ErrorCodes.EVENT_TOO_LARGE,
  ErrorCodes.EVENT_VERSION_INCOMPATIBLE,
  ErrorCodes.EVENT_SOURCE_UNDECLARED,
  ErrorCodes.PUBLISH_NOT_DECLARED,
  ErrorCodes.QUERY_NOT_DECLARED,
  ErrorCodes.SUBSCRIBE_NOT_DECLARED,
  ErrorCodes.SERVICE_NOT_DECLARED,
  ErrorCodes.ARGUMENT_INVALID,
]);

/** Whether a retry may cure `error`; a handler that wrapped a permanent PolisError (as `cause`) is not retried either. */
export function isRetryable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause !== null && typeof cause === 'object' && depth < 8; cause = (cause as { cause?: unknown }).cause, depth++) {
    if (isPolisError(cause) && PERMANENT.has(cause.code)) return false;
  }
  return true;
}
