import type { IncomingHttpHeaders } from 'node:http';
import { JSON_MEDIA_TYPE, decodeJson } from '../express/json-body.js';
import { HttpErrorCodes, HttpProblem } from '../problems/problem.js';
import { checkAttributes } from './cloudevent-attributes.js';
import type { AttributeCheck } from './cloudevent-attributes.js';

export const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json';
export const BATCH_CONTENT_TYPE = 'application/cloudevents-batch+json';


/** The content mode of a request by the CloudEvents HTTP binding (spec 1.0, section 3). */
export type ContentMode = 'binary' | 'structured' | 'batch';

/** The events of one request, each already checked against the CloudEvents spec. */
export interface ReadRequest {
  readonly mode: ContentMode;
  readonly events: readonly AttributeCheck[];
}

/**
 * Reads `POST /events` by the CloudEvents HTTP binding: structured mode
 * (`application/cloudevents+json`, the event as one JSON object), batch mode
 * (`application/cloudevents-batch+json`, an array of them) or binary mode (attributes in `ce-`
 * headers, percent-decoded; the body is the data, JSON). A request that cannot be read at all
 * throws an HttpProblem; each event's own problems come back in its check.
 */
export function readCloudEvents(headers: IncomingHttpHeaders, body: Buffer, maxBatchEvents: number): ReadRequest {
  const { mediaType, charset } = parseContentType(headers['content-type']);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpProblem(415, HttpErrorCodes.UNSUPPORTED_MEDIA_TYPE, `charset '${charset}' is not supported: send UTF-8`);
  }
  if (mediaType === STRUCTURED_CONTENT_TYPE) {
    return { mode: 'structured', events: [checkAttributes(decodeJson(body, 'the structured-mode event'))] };
  }
  if (mediaType === BATCH_CONTENT_TYPE) {
    const batch = decodeJson(body, 'the batch');
    if (!Array.isArray(batch)) throw new HttpProblem(400, HttpErrorCodes.BATCH_INVALID, 'a batch is a JSON array of CloudEvents', [{ path: '', rule: 'type', message: 'must be array' }]);
    if (batch.length === 0) throw new HttpProblem(400, HttpErrorCodes.BATCH_INVALID, 'the batch is empty', [{ path: '', rule: 'minItems', message: 'must have at least 1 event' }]);
    if (batch.length > maxBatchEvents) {
      throw new HttpProblem(413, HttpErrorCodes.BATCH_INVALID, `the batch has ${batch.length} events; at most ${maxBatchEvents} are accepted at once`, [
        { path: '', rule: 'maxItems', message: `must have at most ${maxBatchEvents} events` },
      ]);
    }
    return { mode: 'batch', events: batch.map(checkAttributes) };
  }
  if (headers['ce-specversion'] === undefined) {
    throw new HttpProblem(
      415,
      HttpErrorCodes.UNSUPPORTED_MEDIA_TYPE,
      `not a CloudEvent: send ${STRUCTURED_CONTENT_TYPE}, ${BATCH_CONTENT_TYPE}, or binary mode (ce-specversion, ce-id, ce-source and ce-type headers with a JSON body)`,
    );
  }
  if (mediaType === undefined || !JSON_MEDIA_TYPE.test(mediaType)) {
    throw new HttpProblem(415, HttpErrorCodes.UNSUPPORTED_MEDIA_TYPE, `binary mode: the data must be JSON (content-type application/json), got '${mediaType ?? 'none'}'`);
  }
  const attributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('ce-') || value === undefined) continue;
    attributes[name.slice(3)] = decodeHeader(name, Array.isArray(value) ? value.join(',') : value);
  }
  if (body.length > 0) attributes.data = decodeJson(body, 'the data');
  const check = checkAttributes(attributes);
  // In binary mode the client wrote headers, not a document: name them as written.
  if (!check.ok) return { mode: 'binary', events: [{ ok: false, errors: check.errors.map((e) => (e.path.startsWith('/data') ? e : { ...e, path: headerPath(e.path) })) }] };
  // Binary mode's ce-traceparent is the request's trace context already (express/tracing.ts), continued through its span.
  return { mode: 'binary', events: [{ ok: true, event: { ...check.event, trace: undefined } }] };
}

function headerPath(path: string): string {
  const attribute = path.split('/')[1];
  return attribute === undefined || attribute === '' ? path : `/ce-${attribute}`;
}

function parseContentType(header: string | undefined): { mediaType: string | undefined; charset: string | undefined } {
  if (header === undefined) return { mediaType: undefined, charset: undefined };
  const [type, ...parameters] = header.split(';');
  let charset: string | undefined;
  for (const parameter of parameters) {
    const [key, value] = parameter.split('=');
    if (key?.trim().toLowerCase() === 'charset') charset = value?.trim().replace(/^"|"$/g, '').toLowerCase();
  }
  return { mediaType: type!.trim().toLowerCase(), charset };
}

/** Header values are percent-encoded (HTTP binding 3.1.3.2); a malformed escape is the client's error. */
function decodeHeader(name: string, value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    throw new HttpProblem(400, HttpErrorCodes.CLOUDEVENT_INVALID, `header ${name} has a malformed percent-encoding`, [{ path: `/${name}`, rule: 'format', message: 'malformed percent-encoding' }]);
  }
}
