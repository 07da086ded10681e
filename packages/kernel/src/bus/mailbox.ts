import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { Dispatcher } from './dispatcher.js';
import type { Dispatchable, DispatchOutcome } from './dispatcher.js';
import type { HandlerCall } from './handler-call.js';
import { isRetryable, retryDelayMs } from './retry-policy.js';
import type { DeadLetter, TransportSubscription } from './transport.js';

interface Letter extends Dispatchable {
  readonly event: CloudEvent;
  attempt: number;
  call?: HandlerCall | undefined;
}

/**
 * The in-process queue in front of one subscription's handler: the shared Dispatcher
 * (concurrency, priority lanes, timeouts) with retries on timers: a failed event waits for its
 * backoff without blocking the events behind it, then a dead letter. Nothing to acknowledge.
 * Shared by every transport that queues in process (memory, core NATS).
 */
export class Mailbox {
  private readonly dispatcher: Dispatcher<Letter>;
  private readonly retries = new Map<ReturnType<typeof setTimeout>, Letter>();
  private closing = false;

  constructor(
    private readonly subscription: TransportSubscription,
    private readonly deadLetter: (letter: DeadLetter) => Promise<void>,
  ) {
    const outcome: DispatchOutcome<Letter> = { succeeded: () => {}, failed: (letter, error) => this.failed(letter, error) };
    this.dispatcher = new Dispatcher(subscription, outcome);
  }

  get pending(): number {
    return this.dispatcher.size + this.retries.size;
  }

  push(event: CloudEvent): void {
    if (this.closing) return;
    this.dispatcher.push({ event, attempt: 1 });
  }

  /**
   * Takes no new events, lets the handler finish those already queued or in flight, and
   * dead-letters those waiting for a retry (they failed, and nobody is left to retry them):
   * closing a subscription loses no event it accepted. Resolves when the handler is idle.
   */
  async close(): Promise<void> {
    this.closing = true;
    for (const [timer, letter] of this.retries) {
      clearTimeout(timer);
      this.bury(letter, new PolisError(ErrorCodes.INVALID_STATE, 'the subscription closed before the event could be retried', { plugin: this.subscription.owner }));
    }
    this.retries.clear();
    await this.dispatcher.stop(true);
  }

  private failed(letter: Letter, error: unknown): void {
    const policy = this.subscription.retry;
    if (this.closing || letter.attempt >= policy.maxAttempts || !isRetryable(error)) {
      this.bury(letter, error);
      return;
    }
    letter.attempt++;
    this.subscription.meter?.retried(letter.event.type);
    const timer = setTimeout(() => {
      this.retries.delete(timer);
      this.dispatcher.push(letter);
    }, retryDelayMs(policy, letter.attempt));
    this.retries.set(timer, letter);
  }

  private bury(letter: Letter, error: unknown): void {
    void this.deadLetter({
      owner: this.subscription.owner,
      pattern: this.subscription.pattern,
      attempts: letter.attempt,
      error,
      event: letter.event,
    });
  }
}
