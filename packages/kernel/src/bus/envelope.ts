import { createHmac, randomBytes } from 'node:crypto';
import type { CloudEvent, EventPriority } from '@polis/plugin-api';
import { randomUuid } from './random-ids.js';
import type { TraceHeaders } from './trace-context.js';

/**
 * Event ids are random UUIDs (v4, from the CSPRNG): one id seen on the wire predicts nothing, so
 * no one can store the ids of another plugin's next events first and have the broker's
 * de-duplication drop them (docs/security.md). Trace contexts are made by tracing.ts.
 */
export class IdGenerator {
  private lastMs = Number.NaN;
  private lastIso = '';
  /** The key of outbox ids: this process's own until the kernel reads the deployment's (useOutboxKey). */
  private outboxKey: string = randomBytes(32).toString('hex');

  nextId(): string {
    return randomUuid();
  }

  /** RFC 3339 time; events published in the same millisecond share one string. */
  isoTime(ms: number): string {
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastIso = new Date(ms).toISOString();
    }
    return this.lastIso;
  }

  /**
   * Keys outbox ids with the deployment's secret, shared by its kernels and kept across restarts
   * (outbox-key.ts), so a re-run on another node or after a crash derives the same ids.
   */
  useOutboxKey(key: string): void {
    this.outboxKey = key;
  }

  /**
   * The id of the `n`th event a handler's outbox sends for one event it handled (`seed`: the plugin,
   * its consumer group and the handled event's source and id). A run after a crash handles a
   * redelivered event again and sends the same ids, so JetStream's de-duplication (`Nats-Msg-Id` =
   * source and id) drops what the killed run had already stored. An HMAC under a key no plugin
   * login can read: derived from the seed alone, the ids could be computed by anyone who saw the
   * cause, and stored first to have the broker drop the handler's events as duplicates. Shaped as
   * a UUID v8 (RFC 9562: custom), so it is told apart from the random v4 ids of every other event.
   */
  outboxId(seed: string, n: number): string {
    const hex = createHmac('sha256', this.outboxKey).update(`${seed}\u0000${n}`).digest('hex');
    const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

const OUTBOX_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Whether an id is one {@link IdGenerator.outboxId} makes: a copy already stored is then an earlier run's send of it. */
export function isOutboxEventId(id: string): boolean {
  return OUTBOX_ID.test(id);
}

export interface EnvelopeFields {
  source: string;
  type: string;
  /** `urn:polis:schema:<type>:<version>`, computed once per type by the caller. */
  dataschema: string;
  data: unknown;
  timeMs: number;
  subject?: string | undefined;
  priority?: EventPriority | undefined;
  causedBy?: CloudEvent | undefined;
  /** The W3C trace context the event carries (its send span's, see tracing.ts). */
  trace: TraceHeaders;
  /** A given id (an outbox's, {@link IdGenerator.outboxId}); default a random UUID. */
  id?: string | undefined;
}

type MutableEvent = { -readonly [K in keyof CloudEvent]: CloudEvent[K] };

export function createEnvelope(ids: IdGenerator, fields: EnvelopeFields): CloudEvent {
  const id = fields.id ?? ids.nextId();
  const parent = fields.causedBy;
  const event: MutableEvent = {
    specversion: '1.0',
    id,
    source: fields.source,
    type: fields.type,
    time: ids.isoTime(fields.timeMs),
    datacontenttype: 'application/json',
    dataschema: fields.dataschema,
    data: fields.data,
    traceparent: fields.trace.traceparent,
    correlationid: parent === undefined ? id : parent.correlationid,
  };
  if (fields.trace.tracestate !== undefined) event.tracestate = fields.trace.tracestate;
  if (fields.subject !== undefined) event.subject = fields.subject;
  if (parent !== undefined) event.causationid = parent.id;
  // The causal chain of an emergency is an emergency: what it triggers keeps its lane.
  const priority = fields.priority ?? (parent?.priority === 'emergency' ? 'emergency' : undefined);
  if (priority !== undefined) event.priority = priority;
  return event;
}
