import type { CloudEvent } from '@polis/plugin-api';

export const DEFAULT_PROCESSED_LIMIT = 10_000;
export const DEFAULT_PROCESSED_TTL_MS = 60 * 60 * 1000;

/**
 * The events a plugin's handlers already handled to the end, so a redelivered copy (an ack lost
 * on the way, a retry racing a slow success) is not handled twice. Keyed by the subscription's
 * group and the event's CloudEvents identity (source, id); bounded in count and age, oldest
 * first out, because a redelivery comes within seconds or minutes, not days.
 */
export class ProcessedEvents {
  /** Key -> when it was recorded (ms); a Map keeps insertion order, so the oldest is first. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly limit = DEFAULT_PROCESSED_LIMIT,
    private readonly ttlMs = DEFAULT_PROCESSED_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  static key(group: string, event: CloudEvent): string {
    return `${group}\u0000${event.source}\u0000${event.id}`;
  }

  has(key: string): boolean {
    const at = this.seen.get(key);
    if (at === undefined) return false;
    if (this.now() - at <= this.ttlMs) return true;
    this.seen.delete(key);
    return false;
  }

  add(key: string): void {
    this.seen.set(key, this.now());
    if (this.seen.size > this.limit) this.seen.delete(this.seen.keys().next().value as string);
  }
}
