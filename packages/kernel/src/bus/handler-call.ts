import { ErrorCodes, PolisError } from '@polis/plugin-api';

/**
 * One call of a subscription's handler: the abort signal the handler sees, and whether the call
 * ran out of time. The AbortController is made only when the handler reads the signal, so the
 * common call that never looks at it costs one small object.
 */
export class HandlerCall {
  private controller: AbortController | undefined;
  private reason: PolisError | undefined;
  private expiredListener: ((reason: PolisError) => void) | undefined;

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.reason !== undefined) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Whether the call was given up (it ran past its timeout): what it does afterwards is discarded. */
  get expired(): boolean {
    return this.reason !== undefined;
  }

  /** Gives the call up: aborts its signal with HANDLER_TIMEOUT and returns that error. */
  expire(subscription: { readonly owner: string; readonly pattern: string; readonly timeoutMs: number }): PolisError {
    this.reason ??= new PolisError(ErrorCodes.HANDLER_TIMEOUT, `the handler of '${subscription.pattern}' did not finish within ${subscription.timeoutMs} ms`, {
      plugin: subscription.owner,
      details: { pattern: subscription.pattern, timeoutMs: subscription.timeoutMs },
    });
    this.controller?.abort(this.reason);
    const listener = this.expiredListener;
    this.expiredListener = undefined;
    listener?.(this.reason);
    return this.reason;
  }

  /**
   * Calls `listener` once if the call is given up: the tracing ends the call's span there, as a
   * handler that hangs never settles. One listener (the tracing's), so no AbortController is made.
   */
  onExpired(listener: (reason: PolisError) => void): void {
    if (this.reason !== undefined) listener(this.reason);
    else this.expiredListener = listener;
  }
}
