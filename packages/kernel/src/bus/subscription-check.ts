import type { RetryPolicy } from '@polis/plugin-api';
import { invalidArgument } from '../runtime/invalid-argument.js';
import { resolveRetryPolicy } from './retry-policy.js';
import { assertPattern } from './subject-pattern.js';

interface SubscriptionFields {
  readonly owner: unknown;
  readonly pattern: string;
  readonly handler: unknown;
  readonly version?: unknown;
  readonly concurrency?: unknown;
  readonly retry?: unknown;
  readonly timeoutMs?: unknown;
}

/**
 * Checks a subscription request and resolves its settings; throws ARGUMENT_INVALID naming what
 * is wrong (a malformed pattern, a handler that is not a function, a concurrency or retry policy
 * that would never run a handler).
 */
export function checkSubscription(
  subscription: SubscriptionFields,
  defaultRetry: RetryPolicy,
  defaultTimeoutMs: number,
): { owner: string; concurrency: number; retry: RetryPolicy; timeoutMs: number } {
  if (subscription === null || typeof subscription !== 'object') throw invalidArgument('a subscription', 'an object', subscription);
  const { owner, pattern } = subscription;
  if (typeof owner !== 'string') throw invalidArgument('subscription.owner', 'a string', owner);
  assertPattern(pattern, owner);
  if (typeof subscription.handler !== 'function') throw invalidArgument(`the handler of the subscription to '${pattern}'`, 'a function', subscription.handler, owner);
  const version = subscription.version;
  if (version !== undefined && (!Number.isInteger(version) || (version as number) < 1)) {
    throw invalidArgument(`the version of the subscription to '${pattern}'`, 'an integer >= 1', version, owner);
  }
  const concurrency = subscription.concurrency ?? 1;
  // Zero or NaN would accept events and never hand one to the handler.
  if (!Number.isInteger(concurrency) || (concurrency as number) < 1) {
    throw invalidArgument(`the concurrency of the subscription to '${pattern}'`, 'an integer >= 1', concurrency, owner);
  }
  const timeoutMs = subscription.timeoutMs ?? defaultTimeoutMs;
  if (!isTimeout(timeoutMs)) throw invalidArgument(`the timeoutMs of the subscription to '${pattern}'`, 'a positive number of milliseconds', timeoutMs, owner);
  return { owner, concurrency: concurrency as number, retry: resolveRetryPolicy(defaultRetry, subscription.retry as never, owner), timeoutMs };
}

/** A usable handler timeout: positive, finite, within what setTimeout can wait (about 24.8 days). */
export function isTimeout(value: unknown): value is number {
  return typeof value === 'number' && value > 0 && value <= 2 ** 31 - 1;
}
