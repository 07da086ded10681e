import type { CloudEvent } from '@polis/plugin-api';

/** Where a stream delivers: events with their resume ids, and a notice when some were missed. */
export interface StreamSink {
  event(id: string, event: CloudEvent): void;
  /** The events between the client's last id and the first one sent are no longer kept. */
  gap(detail: { readonly lastEventId: string; readonly resumedAt: string | undefined; readonly reason: string }): void;
}

export interface FeedHandle {
  close(): Promise<void>;
}

/**
 * The events a live stream reads: in memory, a bounded buffer of what the bus carried; on NATS,
 * the JetStream stream itself. `lastEventId` is the id of the last event the client got.
 */
export interface EventFeed {
  open(patterns: readonly string[], lastEventId: string | undefined, sink: StreamSink): Promise<FeedHandle>;
  close(): Promise<void>;
}
