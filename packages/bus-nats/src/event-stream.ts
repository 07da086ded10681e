import { DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

/** A JetStream stream that keeps a deployment's events (or its dead letters) for durable subscriptions. */
export interface EventStreamSettings {
  readonly name: string;
  /** Subjects stored; events on other subjects are published over core NATS only. */
  readonly subjects: readonly string[];
  readonly storage: 'file' | 'memory';
  /** Events older than this are dropped, handled or not. */
  readonly maxAgeMs: number;
  /** Within this window a second publish with the same `Nats-Msg-Id` (source and id) is dropped. */
  readonly duplicateWindowMs: number;
  readonly replicas: number;
  /** The stream's size cap: past it the oldest events are dropped, so one flooding login cannot fill the disk. */
  readonly maxBytes: number;
  /** Events kept per subject (per event type); past it the oldest of that type are dropped. */
  readonly maxMsgsPerSubject: number;
  /** The largest message the stream stores; a bigger publish is refused by the broker. */
  readonly maxMsgSize: number;
  /** Messages kept in all (-1: no cap but the others); past it the oldest are dropped. */
  readonly maxMsgs: number;
}

/** Creates the stream, or updates the settings of an existing one that differ. */
export async function ensureEventStream(jsm: JetStreamManager, settings: EventStreamSettings): Promise<void> {
  const wanted: Partial<StreamConfig> & { name: string } = {
    name: settings.name,
    subjects: [...settings.subjects],
    storage: settings.storage === 'memory' ? StorageType.Memory : StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(settings.maxAgeMs),
    duplicate_window: nanos(settings.duplicateWindowMs),
    num_replicas: settings.replicas,
    max_bytes: settings.maxBytes,
    max_msgs_per_subject: settings.maxMsgsPerSubject,
    max_msg_size: settings.maxMsgSize,
    max_msgs: settings.maxMsgs,
  };
  let existing: StreamConfig | undefined;
  try {
    existing = (await jsm.streams.info(settings.name)).config;
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
  }
  if (existing === undefined) {
    await jsm.streams.add(wanted);
    return;
  }
  const same =
    existing.subjects.length === wanted.subjects!.length &&
    existing.subjects.every((subject) => wanted.subjects!.includes(subject)) &&
    existing.max_age === wanted.max_age &&
    existing.duplicate_window === wanted.duplicate_window &&
    existing.num_replicas === wanted.num_replicas &&
    existing.max_bytes === wanted.max_bytes &&
    existing.max_msgs_per_subject === wanted.max_msgs_per_subject &&
    existing.max_msg_size === wanted.max_msg_size &&
    existing.max_msgs === wanted.max_msgs;
  if (!same) {
    await jsm.streams.update(settings.name, {
      subjects: wanted.subjects!,
      max_age: wanted.max_age!,
      duplicate_window: wanted.duplicate_window!,
      num_replicas: wanted.num_replicas!,
      max_bytes: wanted.max_bytes!,
      max_msgs_per_subject: wanted.max_msgs_per_subject!,
      max_msg_size: wanted.max_msg_size!,
      max_msgs: wanted.max_msgs!,
    });
  }
}
