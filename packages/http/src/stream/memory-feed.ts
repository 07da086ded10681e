import { randomBytes } from 'node:crypto';
import type { Kernel } from '@polis/kernel';
import type { TransportHandle } from '@polis/kernel/transport';
import { matchesPattern, patternCovers } from '@polis/kernel';
import type { CloudEvent } from '@polis/plugin-api';
import type { EventFeed, FeedHandle, StreamSink } from './event-feed.js';

interface Buffered {
  readonly seq: number;
  readonly event: CloudEvent;
}

interface Reader {
  readonly patterns: readonly string[];
  readonly sink: StreamSink;
}

/**
 * Live streams on a transport with no history of its own (memory): the gateway subscribes to
 * what any source may consume and keeps the last `capacity` events in a ring, so a client that
 * reconnects with `Last-Event-ID` gets what it missed while that is still kept. Ids are
 * `<boot>-<seq>`: an id from an earlier run of the gateway is recognised as such (a gap).
 */
export class MemoryFeed implements EventFeed {
  private readonly boot = randomBytes(4).toString('hex');
  private readonly ring: Array<Buffered | undefined>;
  private seq = 0;
  /** Ids of the events in the ring: overlapping subscriptions deliver an event twice. */
  private readonly ids = new Set<string>();
  private readonly readers = new Set<Reader>();
  private readonly handles: TransportHandle[] = [];

  private constructor(private readonly capacity: number) {
    this.ring = new Array<Buffered | undefined>(capacity);
  }

  /** Subscribes to the smallest set of `patterns` that covers them all. */
  static async start(kernel: Kernel, patterns: readonly string[], capacity: number): Promise<MemoryFeed> {
    const feed = new MemoryFeed(capacity);
    const group = `http-gateway-${feed.boot}`;
    for (const pattern of coverOf(patterns)) {
      feed.handles.push(
        await kernel.bus.subscribe({ owner: 'http-gateway', group, pattern, durable: false, handler: (event) => feed.append(event), retry: { maxAttempts: 1 } }),
      );
    }
    return feed;
  }

  async open(patterns: readonly string[], lastEventId: string | undefined, sink: StreamSink): Promise<FeedHandle> {
    if (lastEventId !== undefined) this.replay(patterns, lastEventId, sink);
    const reader: Reader = { patterns, sink };
    this.readers.add(reader);
    return { close: async () => void this.readers.delete(reader) };
  }

  async close(): Promise<void> {
    this.readers.clear();
    await Promise.all(this.handles.splice(0).map((handle) => handle.close()));
  }

  private append(event: CloudEvent): void {
    if (this.ids.has(event.id)) return;
    const seq = ++this.seq;
    const slot = seq % this.capacity;
    const evicted = this.ring[slot];
    if (evicted !== undefined) this.ids.delete(evicted.event.id);
    this.ring[slot] = { seq, event };
    this.ids.add(event.id);
    const id = this.idOf(seq);
    for (const reader of this.readers) {
      if (reader.patterns.some((pattern) => matchesPattern(pattern, event.type))) reader.sink.event(id, event);
    }
  }

  private replay(patterns: readonly string[], lastEventId: string, sink: StreamSink): void {
    const match = /^([0-9a-f]{8})-(\d+)$/.exec(lastEventId);
    const oldest = Math.max(1, this.seq - this.capacity + 1);
    if (!match || match[1] !== this.boot) {
      sink.gap({ lastEventId, resumedAt: this.seq >= oldest ? this.idOf(oldest) : undefined, reason: 'the id is not from this gateway run; only live events follow' });
      return;
    }
    const last = Number(match[2]);
    if (last > this.seq) return;
    if (last + 1 < oldest) sink.gap({ lastEventId, resumedAt: this.idOf(oldest), reason: `only the last ${this.capacity} events are kept` });
    for (let seq = Math.max(last + 1, oldest); seq <= this.seq; seq++) {
      const buffered = this.ring[seq % this.capacity]!;
      if (patterns.some((pattern) => matchesPattern(pattern, buffered.event.type))) sink.event(this.idOf(seq), buffered.event);
    }
  }

  private idOf(seq: number): string {
    return `${this.boot}-${seq}`;
  }
}

/** Drops every pattern another one already covers (and duplicates). */
export function coverOf(patterns: readonly string[]): string[] {
  const unique = [...new Set(patterns)];
  return unique.filter((pattern) => !unique.some((other) => other !== pattern && patternCovers(other, pattern)));
}
