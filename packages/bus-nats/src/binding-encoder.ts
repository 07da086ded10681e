import type { CloudEvent } from '@polis/plugin-api';
import { STRUCTURED_CONTENT_TYPE } from './binding-decoder.js';
import { encodeHeaderValue } from './percent-encoding.js';
import { EncodedHeaders } from './wire-headers.js';

/** JetStream drops a message whose id it stored within the stream's duplicate window. */
export const MESSAGE_ID_HEADER = 'Nats-Msg-Id';

/**
 * The message id of an event: its CloudEvents identity, source and id, both percent-encoded (so
 * neither holds a space) and joined by a space. Two publishers that happen to use the same event
 * id are two events, as CloudEvents says; only the same source repeating an id is a duplicate.
 */
export function messageId(event: CloudEvent): string {
  return `${encodeHeaderValue(event.source)} ${encodeHeaderValue(event.id)}`;
}

interface SchemaLines {
  readonly type: string;
  readonly lines: string;
}

/** An event as a NATS message: the payload and, where the mode needs them, the headers. */
export interface WireMessageOut {
  readonly payload: Uint8Array;
  readonly headers: EncodedHeaders | undefined;
}

/** The two content modes of the CloudEvents NATS binding. */
export type WireMode = 'binary' | 'structured';

export interface WireEncoder {
  /** With `withMessageId`, the message also carries `Nats-Msg-Id` = source and id (JetStream de-duplication). */
  encode(event: CloudEvent, withMessageId: boolean): WireMessageOut;
}

/**
 * The binding's structured mode: the whole event as one JSON document, no headers at all on core
 * NATS (so the message is a plain PUB, which every NATS client reads), only `Nats-Msg-Id` when
 * JetStream stores it. Cheapest on the wire and on both ends: one serialization, one parse.
 */
export class StructuredModeEncoder implements WireEncoder {
  encode(event: CloudEvent, withMessageId: boolean): WireMessageOut {
    const payload = Buffer.from(JSON.stringify(event));
    if (!withMessageId) return { payload, headers: undefined };
    const headers = new EncodedHeaders(Buffer.from(`NATS/1.0\r\ncontent-type: ${STRUCTURED_CONTENT_TYPE}\r\n${MESSAGE_ID_HEADER}: ${messageId(event)}\r\n\r\n`, 'latin1'));
    return { payload, headers };
  }
}

/**
 * Encodes events in the binding's binary mode: each attribute a `ce-` header, percent-encoded,
 * the data as the payload, and `content-type` naming the data's media type. The lines every event
 * of one schema shares are built once; per event only the varying attributes are encoded.
 */
export class BinaryModeEncoder implements WireEncoder {
  encode(event: CloudEvent, withMessageId: boolean): WireMessageOut {
    // A Buffer payload spares nats.js its TextEncoder pass, the slowest step of a publish.
    return { payload: Buffer.from(JSON.stringify(event.data)), headers: this.headers(event, withMessageId) };
  }

  private readonly bySchema = new Map<string, SchemaLines>();

  /** The header block of `event`; with `withMessageId`, also `Nats-Msg-Id` = source and id. */
  headers(event: CloudEvent, withMessageId: boolean): EncodedHeaders {
    let fixed = this.bySchema.get(event.dataschema);
    if (fixed === undefined || fixed.type !== event.type) fixed = this.schemaLines(event);
    const id = encodeHeaderValue(event.id);
    let text = `${fixed.lines}ce-id: ${id}\r\nce-source: ${encodeHeaderValue(event.source)}\r\nce-time: ${encodeHeaderValue(event.time)}\r\n`;
    if (event.correlationid !== undefined) text += `ce-correlationid: ${encodeHeaderValue(event.correlationid)}\r\n`;
    if (event.traceparent !== undefined) text += `ce-traceparent: ${encodeHeaderValue(event.traceparent)}\r\n`;
    if (event.tracestate !== undefined) text += `ce-tracestate: ${encodeHeaderValue(event.tracestate)}\r\n`;
    if (event.causationid !== undefined) text += `ce-causationid: ${encodeHeaderValue(event.causationid)}\r\n`;
    if (event.subject !== undefined) text += `ce-subject: ${encodeHeaderValue(event.subject)}\r\n`;
    if (event.priority !== undefined) text += `ce-priority: ${encodeHeaderValue(event.priority)}\r\n`;
    if (withMessageId) text += `${MESSAGE_ID_HEADER}: ${messageId(event)}\r\n`;
    // Percent-encoding leaves only ASCII, so latin1 is exact, and much cheaper than TextEncoder.
    return new EncodedHeaders(Buffer.from(`${text}\r\n`, 'latin1'));
  }

  private schemaLines(event: CloudEvent): SchemaLines {
    const contentType = encodeHeaderValue(event.datacontenttype ?? 'application/json');
    const lines =
      'NATS/1.0\r\nce-specversion: 1.0\r\n' +
      `ce-type: ${encodeHeaderValue(event.type)}\r\n` +
      `ce-dataschema: ${encodeHeaderValue(event.dataschema)}\r\n` +
      `ce-datacontenttype: ${contentType}\r\n` +
      `content-type: ${contentType}\r\n`;
    const entry = { type: event.type, lines };
    this.bySchema.set(event.dataschema, entry);
    return entry;
  }
}
