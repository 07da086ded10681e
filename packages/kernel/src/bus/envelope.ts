import { randomUUID } from 'node:crypto';
import type { CloudEvent, EventPriority } from '@polis/plugin-api';
import type { TraceHeaders } from './trace-context.js';

/**
 * Event ids are random UUIDs (v4, from the CSPRNG): one id seen on the wire predicts nothing, so
 * no one can store the ids of another plugin's next events first and have the broker's
 * de-duplication drop them (docs/security.md). Trace contexts are made by tracing.ts.
 */
export class IdGenerator {
  private lastMs = Number.NaN;
  private lastIso = '';

  nextId(): string {
    return randomUUID();
  }

  /** RFC 3339 time; events published in the same millisecond share one string. */
  isoTime(ms: number): string {
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastIso = new Date(ms).toISOString();
    }
    return this.lastIso;
  }
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
}

type MutableEvent = { -readonly [K in keyof CloudEvent]: CloudEvent[K] };

export function createEnvelope(ids: IdGenerator, fields: EnvelopeFields): CloudEvent {
  const id = ids.nextId();
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
