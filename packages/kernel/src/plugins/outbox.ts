import type { CloudEvent, RetryPolicy } from '@polis/plugin-api';
import { isRetryable, retryDelayMs } from '../bus/retry-policy.js';
import { ProcessedEvents } from './processed-events.js';

/**
 * What one handler attempt published, held until the handler succeeded: a failed attempt sends
 * nothing, so its retry cannot announce a second ambulance. Events are prepared (checked, their
 * envelope and id made) when published, so the handler gets them back at once.
 */
export class Outbox {
  private readonly held: CloudEvent[] = [];

  /** The outbox of `plugin`'s handler of `group` handling `cause`; `outboxId` is the bus's (IdGenerator.outboxId). */
  constructor(
    private readonly plugin: string,
    private readonly group: string,
    private readonly cause: CloudEvent,
    private readonly outboxId: (seed: string, n: number) => string,
  ) {}

  /** The id of the next event held: the same in every attempt and every run of the handler; the seed is built only when the handler publishes. */
  nextId(): string {
    return this.outboxId(`${this.plugin}\u0000${ProcessedEvents.key(this.group, this.cause)}`, this.held.length);
  }

  hold(event: CloudEvent): void {
    this.held.push(event);
  }

  /**
   * Sends the held events in order. A send that fails transiently is repeated with the same
   * envelope (the same id: a receiver that got it already drops the copy), by `policy`; the
   * handler is not run again for it. Rejects when an event could not be sent at all.
   */
  async flush(send: (event: CloudEvent) => Promise<unknown>, policy: RetryPolicy): Promise<void> {
    for (const event of this.held) {
      for (let attempt = 1; ; attempt++) {
        try {
          await send(event);
          break;
        } catch (error) {
          if (attempt >= policy.maxAttempts || !isRetryable(error)) throw error;
          await new Promise((resolve) => setTimeout(resolve, retryDelayMs(policy, attempt + 1)));
        }
      }
    }
  }
}
