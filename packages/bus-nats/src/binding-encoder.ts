import type { CloudEvent } from '@polis/plugin-api';
import { encodeHeaderValue } from './percent-encoding.js';
import { EncodedHeaders } from './wire-headers.js';

/** JetStream drops a message whose id it stored within the stream's duplicate window. */
export const MESSAGE_ID_HEADER = 'Nats-Msg-Id';

interface SchemaLines {
  readonly type: string;
  readonly lines: string;
}

/**
 * Encodes events in the binding's binary mode: each attribute a `ce-` header, percent-encoded,
 * the data as the payload, and `content-type` naming the data's media type. The lines every event
 * of one schema shares are built once; per event only the varying attributes are encoded.
 */
export class BinaryModeEncoder {
  private readonly bySchema = new Map<string, SchemaLines>();

  /** The header block of `event`; with `messageId`, also `Nats-Msg-Id` = the event id. */
  headers(event: CloudEvent, messageId: boolean): EncodedHeaders {
    let fixed = this.bySchema.get(event.dataschema);
    if (fixed === undefined || fixed.type !== event.type) fixed = this.schemaLines(event);
    const id = encodeHeaderValue(event.id);
    let text = `${fixed.lines}ce-id: ${id}\r\nce-source: ${encodeHeaderValue(event.source)}\r\nce-time: ${encodeHeaderValue(event.time)}\r\n`;
    if (event.correlationid !== undefined) text += `ce-correlationid: ${encodeHeaderValue(event.correlationid)}\r\n`;
    if (event.traceparent !== undefined) text += `ce-traceparent: ${encodeHeaderValue(event.traceparent)}\r\n`;
    if (event.causationid !== undefined) text += `ce-causationid: ${encodeHeaderValue(event.causationid)}\r\n`;
    if (event.subject !== undefined) text += `ce-subject: ${encodeHeaderValue(event.subject)}\r\n`;
    if (event.priority !== undefined) text += `ce-priority: ${encodeHeaderValue(event.priority)}\r\n`;
    if (messageId) text += `${MESSAGE_ID_HEADER}: ${id}\r\n`;
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
