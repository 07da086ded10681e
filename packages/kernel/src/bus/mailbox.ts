import type { CloudEvent } from '@polis/plugin-api';
import type { DeadLetter, TransportSubscription } from './transport.js';
import { PriorityLanes } from './priority-lanes.js';
import { isRetryable, retryDelayMs } from './retry-policy.js';

interface Letter {
  readonly event: CloudEvent;
  attempt: number;
}

/**
 * The in-process queue in front of one subscription's handler: `concurrency` calls in flight,
 * two lanes so an `emergency` event never waits behind routine telemetry, and retries with
 * backoff before a dead letter. A retry waits on a timer without blocking the events behind it.
 * Shared by every transport that queues in process (memory, core NATS).
 */
export class Mailbox {
  private readonly waiting = new PriorityLanes<Letter>();
  private inFlight = 0;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;
  private pumpScheduled = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly subscription: TransportSubscription,
    private readonly deadLetter: (letter: DeadLetter) => Promise<void>,
  ) {}

  get pending(): number {
    return this.waiting.size + this.inFlight + this.timers.size;
  }

  push(event: CloudEvent): void {
    if (this.closed) return;
    this.waiting.push({ event, attempt: 1 }, event.priority === 'emergency');
    // Handlers never run inside the publisher's call stack: one microtask drains a whole burst.
    if (!this.pumpScheduled) {
      this.pumpScheduled = true;
      queueMicrotask(this.scheduledPump);
    }
  }

  private readonly scheduledPump = (): void => {
    this.pumpScheduled = false;
    this.pump();
  };

  /** Stops taking events; resolves when in-flight handler calls have finished. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waiting.drain();
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.subscription.concurrency) {
      const letter = this.waiting.take();
      if (!letter) return;
      this.inFlight++;
      this.run(letter);
    }
  }

  private run(letter: Letter): void {
    let result: unknown;
    try {
      result = this.subscription.handle(letter.event);
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
    (result as Promise<void>).then(
      () => this.settle(),
      (error: unknown) => {
        this.fail(letter, error);
        this.settle();
      },
    );
  }

  private settle(): void {
    this.inFlight--;
    if (this.closed) {
      if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      return;
    }
    this.pump();
  }

  private fail(letter: Letter, error: unknown): void {
    if (this.closed) return;
    const policy = this.subscription.retry;
    if (letter.attempt >= policy.maxAttempts || !isRetryable(error)) {
      void this.deadLetter({
        owner: this.subscription.owner,
        pattern: this.subscription.pattern,
        attempts: letter.attempt,
        error,
        event: letter.event,
      });
      return;
    }
    letter.attempt++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed) return;
      this.waiting.push(letter, letter.event.priority === 'emergency');
      this.pump();
    }, retryDelayMs(policy, letter.attempt));
    this.timers.add(timer);
  }
}
