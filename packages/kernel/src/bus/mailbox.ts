import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { Deadlines } from './deadlines.js';
import { HandlerCall } from './handler-call.js';
import { PriorityLanes } from './priority-lanes.js';
import { isRetryable, retryDelayMs } from './retry-policy.js';
import type { DeadLetter, TransportSubscription } from './transport.js';

interface Letter {
  readonly event: CloudEvent;
  attempt: number;
  /** The handler call in flight for this letter, if any. */
  call?: HandlerCall | undefined;
}

/**
 * The in-process queue in front of one subscription's handler: `concurrency` calls in flight,
 * two lanes so an `emergency` event never waits behind routine telemetry, and retries with
 * backoff before a dead letter. A retry waits on a timer without blocking the events behind it.
 * A call past the subscription's timeout is given up: its slot is freed and it counts as a failed
 * attempt, so one hanging handler cannot stop the subscription.
 * Shared by every transport that queues in process (memory, core NATS).
 */
export class Mailbox {
  private readonly waiting = new PriorityLanes<Letter>();
  private inFlight = 0;
  private readonly retries = new Map<ReturnType<typeof setTimeout>, Letter>();
  private closing = false;
  private pumpScheduled = false;
  private idleWaiters: Array<() => void> = [];
  private readonly deadlines: Deadlines<Letter>;

  constructor(
    private readonly subscription: TransportSubscription,
    private readonly deadLetter: (letter: DeadLetter) => Promise<void>,
  ) {
    this.deadlines = new Deadlines(subscription.timeoutMs, this.expire);
  }

  get pending(): number {
    return this.waiting.size + this.inFlight + this.retries.size;
  }

  push(event: CloudEvent): void {
    if (this.closing) return;
    this.waiting.push({ event, attempt: 1 }, event.priority === 'emergency');
    // Handlers never run inside the publisher's call stack: one microtask drains a whole burst.
    if (!this.pumpScheduled) {
      this.pumpScheduled = true;
      queueMicrotask(this.scheduledPump);
    }
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
    this.pump();
    if (this.inFlight === 0 && this.waiting.size === 0) this.deadlines.clear();
    if (this.inFlight > 0 || this.waiting.size > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private readonly scheduledPump = (): void => {
    this.pumpScheduled = false;
    this.pump();
  };

  private pump(): void {
    while (this.inFlight < this.subscription.concurrency) {
      const letter = this.waiting.take();
      if (!letter) break;
      this.inFlight++;
      this.run(letter);
    }
    if (this.closing && this.inFlight === 0 && this.waiting.size === 0) {
      this.deadlines.clear();
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private run(letter: Letter): void {
    const call = new HandlerCall();
    let result: unknown;
    try {
      result = this.subscription.handle(letter.event, undefined, call);
    } catch (error) {
      this.fail(letter, error);
      this.inFlight--;
      return;
    }
    if (result === undefined || typeof (result as Partial<Promise<void>>).then !== 'function') {
      // A synchronous handler: no promise to wait for, the next letter can go right away.
      this.inFlight--;
      return;
    }
    letter.call = call;
    this.deadlines.add(letter);
    (result as Promise<void>).then(
      () => this.settle(letter, call),
      (error: unknown) => {
        if (call.expired) return;
        this.fail(letter, error);
        this.settle(letter, call);
      },
    );
  }

  /** A call ended; one that expired was already counted out, and its late end changes nothing. */
  private settle(letter: Letter, call: HandlerCall): void {
    if (call.expired) return;
    this.deadlines.delete(letter);
    letter.call = undefined;
    this.inFlight--;
    this.pump();
  }

  private readonly expire = (letter: Letter): void => {
    const call = letter.call;
    if (call === undefined) return;
    letter.call = undefined;
    const error = call.expire(this.subscription);
    this.inFlight--;
    this.fail(letter, error);
    this.pump();
  };

  private fail(letter: Letter, error: unknown): void {
    const policy = this.subscription.retry;
    if (this.closing || letter.attempt >= policy.maxAttempts || !isRetryable(error)) {
      this.bury(letter, error);
      return;
    }
    letter.attempt++;
    const timer = setTimeout(() => {
      this.retries.delete(timer);
      this.waiting.push(letter, letter.event.priority === 'emergency');
      this.pump();
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
