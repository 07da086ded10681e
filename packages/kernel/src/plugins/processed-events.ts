import type { CloudEvent, StateStore } from '@polis/plugin-api';

export const DEFAULT_PROCESSED_LIMIT = 10_000;
export const DEFAULT_PROCESSED_TTL_MS = 60 * 60 * 1000;

export interface ProcessedEventsOptions {
  readonly limit?: number;
  readonly ttlMs?: number;
  readonly now?: () => number;
  /**
   * Where the record survives a restart (the deployment's durable state store, under a name of
   * its own): a redelivery after a crash is then recognised too. Without it, the record is this
   * process's.
   */
  readonly store?: StateStore | undefined;
  /** A write to the store that failed (logged by the caller): the event is then remembered in process only. */
  readonly onStoreFailure?: (error: unknown) => void;
}

/**
 * The events a plugin's handlers already handled to the end, so a redelivered copy (an ack lost
 * on the way, a retry racing a slow success, a crash before the ack) is not handled twice. Keyed
 * by the subscription's group and the event's CloudEvents identity (source, id); bounded in
 * count and age, oldest first out, because a redelivery comes within minutes, not days.
 */
export class ProcessedEvents {
  /** Key -> when it was recorded (ms); a Map keeps insertion order, so the oldest is first. */
  private readonly seen = new Map<string, number>();
  private readonly limit: number;
  private readonly ttlMs: number;
  private readonly now: () => number;
  readonly store: StateStore | undefined;
  private readonly onStoreFailure: (error: unknown) => void;

  constructor(options: ProcessedEventsOptions = {}) {
    this.limit = options.limit ?? DEFAULT_PROCESSED_LIMIT;
    this.ttlMs = options.ttlMs ?? DEFAULT_PROCESSED_TTL_MS;
    this.now = options.now ?? Date.now;
    this.store = options.store;
    this.onStoreFailure = options.onStoreFailure ?? (() => {});
  }

  static key(group: string, event: CloudEvent): string {
    return `${group}\u0000${event.source}\u0000${event.id}`;
  }

  /** Whether this process recorded the key (the fast check, enough without a store). */
  has(key: string): boolean {
    const at = this.seen.get(key);
    if (at === undefined) return false;
    if (this.fresh(at)) return true;
    this.seen.delete(key);
    return false;
  }

  /** Whether the key is recorded here or, after a restart, in the store. */
  async hasDurably(key: string): Promise<boolean> {
    if (this.has(key)) return true;
    const at = await this.store?.get<number>(key);
    return typeof at === 'number' && this.fresh(at);
  }

  /**
   * Records the key. The store is written without waiting: the handler's ack does not wait for
   * it (a round trip per event would halve a NATS deployment's throughput), so a crash right
   * after a handler may still see that one event again.
   */
  add(key: string): void {
    const at = this.now();
    this.seen.set(key, at);
    if (this.seen.size > this.limit) {
      const oldest = this.seen.keys().next().value as string;
      this.seen.delete(oldest);
      // The store is bounded like the record: what falls out here is removed there.
      this.store?.delete(oldest).catch(this.onStoreFailure);
    }
    this.store?.set(key, at).catch(this.onStoreFailure);
  }

  private fresh(at: number): boolean {
    return this.now() - at <= this.ttlMs;
  }
}
