import { randomBytes } from 'node:crypto';
import { schemaUrn } from '@polis/plugin-api';
import type { CloudEvent, EventPriority } from '@polis/plugin-api';

/**
 * Ids are a random per-process prefix plus a counter: unique across nodes, ordered within a
 * process, and far cheaper than a UUID per event on the publish hot path.
 */
export class IdGenerator {
  private readonly prefix = randomBytes(8).toString('hex');
  private counter = 0;
  /** 16 hex digits: the high half of every trace id this process starts. */
  private readonly traceHigh = randomBytes(8).toString('hex');

  nextId(): string {
    return `${this.prefix}-${(++this.counter).toString(36)}`;
  }

  /** A W3C trace context, continuing `parent`'s trace when there is one. */
  nextTraceparent(parent: string | undefined): string {
    const span = (++this.counter).toString(16).padStart(16, '0');
    const traceId = parent?.length === 55 ? parent.slice(3, 35) : `${this.traceHigh}${span}`;
    return `00-${traceId}-${span}-01`;
  }
}

export interface EnvelopeFields {
  source: string;
  type: string;
  version: number;
  data: unknown;
  timeMs: number;
  subject?: string | undefined;
  priority?: EventPriority | undefined;
  causedBy?: CloudEvent | undefined;
}

export function createEnvelope(ids: IdGenerator, fields: EnvelopeFields): CloudEvent {
  const id = ids.nextId();
  const parent = fields.causedBy;
  const event: {
    -readonly [K in keyof CloudEvent]: CloudEvent[K];
  } = {
    specversion: '1.0',
    id,
    source: fields.source,
    type: fields.type,
    time: new Date(fields.timeMs).toISOString(),
    datacontenttype: 'application/json',
    dataschema: schemaUrn(fields.type, fields.version),
    data: fields.data,
    traceparent: ids.nextTraceparent(parent?.traceparent),
    correlationid: parent ? parent.correlationid : id,
  };
  if (fields.subject !== undefined) event.subject = fields.subject;
  if (parent) event.causationid = parent.id;
  const priority = fields.priority ?? (parent?.priority === 'emergency' ? 'emergency' : undefined);
  if (priority) event.priority = priority;
  return event;
}
