import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { MESSAGE_ID_HEADER } from './binding-encoder.js';
import { decodeHeaderValue } from './percent-encoding.js';

/** Names the binding's structured mode: the whole event as JSON in the payload. */
export const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json';

const STRUCTURED = /^\s*application\/cloudevents(?:\+([a-z0-9.-]+))?\s*(?:;|$)/i;
const JSON_MEDIA_TYPE = /^\s*application\/(?:[a-z0-9.!#$&^_-]+\+)?json\s*(?:;|$)/i;
const STATUS_LINE = 'NATS/1.0';
/** CloudEvents attribute names: lower-case letters and digits, at most 20 (spec 1.0, "Attribute Naming Convention"). */
const ATTRIBUTE_NAME = /^[a-z0-9]{1,20}$/;
const CONTENT_TYPE = 'content-type';
const utf8 = new TextDecoder();

/**
 * Attribute names by header name, for the headers as Polis writes them (lower case): the hot path
 * finds a header with one map lookup, without lower-casing its name.
 */
const ATTRIBUTE_OF_HEADER = new Map(
  ['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'dataschema', 'subject', 'traceparent', 'tracestate', 'correlationid', 'causationid', 'priority'].map(
    (attribute) => [`ce-${attribute}`, attribute],
  ),
);

/**
 * Decodes a message by the CloudEvents NATS binding: structured mode when `content-type` is
 * `application/cloudevents[+json]` (or the message has no headers at all, as before NATS 2.2),
 * binary mode otherwise. `headerText` is the raw header block; `structured` says the caller
 * already knows the content type is `application/cloudevents+json`. Throws a PolisError
 * (EVENT_UNDECODABLE) saying what is wrong.
 */
export function decodeCloudEvent(headerText: string | undefined, payload: Uint8Array, structured = false): CloudEvent {
  let event: Record<string, unknown>;
  if (structured || headerText === undefined) {
    event = decodeStructured(undefined, payload);
  } else {
    const binary: Record<string, unknown> = {};
    const contentType = readHeaders(headerText, binary);
    const structured = contentType === undefined ? null : STRUCTURED.exec(contentType);
    event = structured ? decodeStructured(structured[1], payload) : completeBinary(binary, contentType, payload);
  }
  // The attributes are checked, and defaults such as `correlationid` filled in, when the kernel admits the event.
  return event as unknown as CloudEvent;
}

/**
 * One pass over the header block: every `ce-` header becomes an attribute of `event`
 * (percent-decoded); returns the `content-type`. Throws on a malformed block.
 */
function readHeaders(text: string, event: Record<string, unknown>): string | undefined {
  if (!text.startsWith(STATUS_LINE)) throw undecodable(`the header block does not start with '${STATUS_LINE}'`);
  let contentType: string | undefined;
  let at = text.indexOf('\r\n') + 2;
  if (at === 1) return undefined;
  while (at < text.length) {
    let end = text.indexOf('\r\n', at);
    if (end < 0) end = text.length;
    if (end === at) break;
    const colon = text.indexOf(':', at);
    if (colon <= at || colon > end) throw undecodable(`malformed header line '${text.slice(at, end)}'`);
    let name = text.slice(at, colon);
    let attribute = ATTRIBUTE_OF_HEADER.get(name);
    // JetStream's message id rides along on stored events; it is no attribute, and needs no second look.
    if (attribute === undefined && name !== CONTENT_TYPE && name !== MESSAGE_ID_HEADER) {
      // Another sender's spelling (`Content-Type`, `CE-ID`) or an extension attribute.
      name = name.trim().toLowerCase();
      const extension = name.startsWith('ce-') ? name.slice(3) : undefined;
      attribute = ATTRIBUTE_OF_HEADER.get(name) ?? (extension !== undefined && ATTRIBUTE_NAME.test(extension) ? extension : undefined);
    }
    if (attribute !== undefined || name === CONTENT_TYPE) {
      let from = colon + 1;
      let to = end;
      while (from < to && text.charCodeAt(from) === 32) from++;
      while (to > from && text.charCodeAt(to - 1) === 32) to--;
      const value = text.slice(from, to);
      if (attribute === undefined) contentType ??= value;
      else if (!Object.hasOwn(event, attribute)) event[attribute] = decodeHeaderValue(name, value);
    }
    at = end + 2;
  }
  return contentType;
}

function completeBinary(event: Record<string, unknown>, contentTypeHeader: string | undefined, payload: Uint8Array): Record<string, unknown> {
  if (event.specversion !== '1.0') {
    throw undecodable(event.specversion === undefined ? 'no ce-specversion header: not a binary-mode CloudEvent' : `unsupported specversion '${String(event.specversion)}'`);
  }
  const contentType = event.datacontenttype ?? contentTypeHeader;
  assertJsonData(contentType);
  event.datacontenttype = contentType ?? 'application/json';
  if (payload.length > 0) event.data = parseJson(utf8.decode(payload), 'the data');
  return event;
}

function decodeStructured(format: string | undefined, payload: Uint8Array): Record<string, unknown> {
  if (format !== undefined && format.toLowerCase() !== 'json') throw undecodable(`unsupported event format 'application/cloudevents+${format}'`);
  const parsed = parseJson(utf8.decode(payload), 'the structured event');
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw undecodable('a structured-mode event must be a JSON object');
  const event = parsed as Record<string, unknown>;
  if (event.specversion !== '1.0') throw undecodable(`unsupported specversion '${String(event.specversion)}'`);
  assertJsonData(event.datacontenttype);
  event.datacontenttype ??= 'application/json';
  if (typeof event.data_base64 === 'string') {
    const { data_base64: encoded, ...rest } = event;
    return { ...rest, data: parseJson(Buffer.from(encoded, 'base64').toString('utf8'), 'data_base64') };
  }
  return event;
}

function assertJsonData(contentType: unknown): void {
  if (contentType === undefined || contentType === 'application/json') return;
  if (typeof contentType !== 'string' || !JSON_MEDIA_TYPE.test(contentType)) {
    throw undecodable(`unsupported datacontenttype '${String(contentType)}': Polis events carry JSON`);
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw undecodable(`${what} is not valid JSON: ${(cause as Error).message}`, cause);
  }
}

function undecodable(reason: string, cause?: unknown): PolisError {
  return new PolisError(ErrorCodes.EVENT_UNDECODABLE, reason, { cause });
}
