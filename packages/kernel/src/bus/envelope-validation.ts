import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { isDateTime } from '../schema/date-time-format.js';

/**
 * The attributes of a CloudEvent received from outside this process, checked in one place so
 * every transport (memory nodes sharing a broker, core NATS, JetStream, both wire modes) admits
 * the same events. A bad attribute is refused with EVENT_UNDECODABLE naming it; nothing a sender
 * writes can reach a handler as a value of the wrong type, or make `scope.publish` throw later.
 *
 * The received object is also normalized, as the CloudEvents formats say a receiver should:
 * - an attribute whose value is `null` is unset (JSON format 1.0.2, section 2.2);
 * - `datacontenttype` defaults to `application/json`, `correlationid` to the event's own id
 *   (an event from outside Polis starts its own causal chain), and a missing `time` (optional in
 *   CloudEvents) to the time of receipt, so handlers can always read all three;
 * - `dataschema` is optional in CloudEvents and the official SDKs omit it: the bus resolves a
 *   missing one to the latest registered version of the type.
 */

/** A later version: the same four fields, possibly followed by more (`-...`); `ff` is forbidden. */
const TRACEPARENT_LATER = /^(?!ff)[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(?:-[^\s]*)?$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_PARENT_ID = '0'.repeat(16);
/** One `tracestate` list member: `key=value` by the W3C grammar (simple or multi-tenant key). */
const TRACESTATE_MEMBER = /^(?:[a-z][a-z0-9_\-*/]{0,255}|[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13})=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const TRACESTATE_MAX_MEMBERS = 32;
const TRACESTATE_MAX_LENGTH = 512;
const PRIORITIES: ReadonlySet<unknown> = new Set(['emergency', 'routine']);
/** The attributes that may be absent; a `null` one is unset. */
const OPTIONAL_ATTRIBUTES = ['time', 'datacontenttype', 'dataschema', 'subject', 'traceparent', 'tracestate', 'correlationid', 'causationid', 'priority'] as const;

type Received = Record<string, unknown>;

/**
 * Checks and normalizes the envelope of a received event in place (see above); throws a PolisError
 * (EVENT_UNDECODABLE) naming the first bad attribute. `receivedAtIso` stamps an event without `time`.
 */
export function admitEnvelope(value: unknown, receivedAtIso: () => string): asserts value is CloudEvent {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw undecodable('not a CloudEvent: an event must be an object');
  const event = value as Received;
  for (const attribute of OPTIONAL_ATTRIBUTES) if (event[attribute] === null) delete event[attribute];
  if (event.specversion !== '1.0') throw badAttribute(event, 'specversion', "'1.0'");
  requireString(event, 'id');
  requireString(event, 'source');
  requireString(event, 'type');

  const time = event.time;
  if (time === undefined) event.time = receivedAtIso();
  else if (typeof time !== 'string' || !isDateTime(time)) throw badAttribute(event, 'time', 'an RFC 3339 timestamp');
  if (event.datacontenttype === undefined) event.datacontenttype = 'application/json';
  else optionalString(event, 'datacontenttype');
  optionalString(event, 'dataschema');
  optionalString(event, 'subject');
  if (event.correlationid === undefined) event.correlationid = event.id;
  else requireString(event, 'correlationid');
  optionalString(event, 'causationid');
  if (event.priority !== undefined && !PRIORITIES.has(event.priority)) throw badAttribute(event, 'priority', "'emergency' or 'routine'");
  if (event.traceparent !== undefined && !isTraceparent(event.traceparent)) throw badAttribute(event, 'traceparent', 'a W3C traceparent (00-<trace id>-<parent id>-<flags>)');
  if (event.tracestate !== undefined && !isTracestate(event.tracestate)) throw badAttribute(event, 'tracestate', 'a W3C tracestate (key=value list)');
}

/** Whether `value` is a W3C traceparent a receiver may continue (all-zero ids are invalid). */
export function isTraceparent(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (!(value.length === 55 ? isVersion00(value) : !value.startsWith('00-') && TRACEPARENT_LATER.test(value))) return false;
  return !value.startsWith(ZERO_TRACE_ID, 3) && !value.startsWith(ZERO_PARENT_ID, 36);
}

/** 1 for the code units of lower-case hex digits (`0-9a-f`), 0 for all others. */
const LOWER_HEX = new Uint8Array(65_536);
for (const digit of '0123456789abcdef') LOWER_HEX[digit.charCodeAt(0)] = 1;

/**
 * Whether a 55-character string is `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>` (W3C
 * Trace Context, level 1), by hand: every received event carries one, and the regular expression
 * `^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$` took twice as long (170 ns against 85 here), 5 %
 * of a core NATS consumer's time.
 */
function isVersion00(value: string): boolean {
  if (value.charCodeAt(0) !== 48 || value.charCodeAt(1) !== 48 || value.charCodeAt(2) !== 45 || value.charCodeAt(35) !== 45 || value.charCodeAt(52) !== 45) return false;
  let hex = LOWER_HEX[value.charCodeAt(53)]! & LOWER_HEX[value.charCodeAt(54)]!;
  for (let i = 3; i < 35; i++) hex &= LOWER_HEX[value.charCodeAt(i)]!;
  for (let i = 36; i < 52; i++) hex &= LOWER_HEX[value.charCodeAt(i)]!;
  return hex === 1;
}

/** Whether `value` can be the cause of a new event as it is: string id and correlation id, a valid trace if any. */
export function isCause(value: unknown): value is CloudEvent {
  if (value === null || typeof value !== 'object') return false;
  const event = value as Received;
  return (
    typeof event.id === 'string' &&
    event.id.length > 0 &&
    typeof event.correlationid === 'string' &&
    (event.traceparent === undefined || isTraceparent(event.traceparent)) &&
    (event.tracestate === undefined || isTracestate(event.tracestate)) &&
    (event.priority === undefined || PRIORITIES.has(event.priority))
  );
}

/**
 * What of a possibly malformed event can be the cause of a new one (a dead letter's, or a
 * plugin's `causedBy`): its id and correlation id when they are strings, its trace only when it
 * is a valid one. Undefined when not even the id is usable.
 */
export function causeFrom(value: unknown): CloudEvent | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const event = value as Received;
  if (typeof event.id !== 'string' || event.id.length === 0) return undefined;
  const cause: Received = { id: event.id, correlationid: typeof event.correlationid === 'string' && event.correlationid.length > 0 ? event.correlationid : event.id };
  if (isTraceparent(event.traceparent)) {
    cause.traceparent = event.traceparent;
    if (isTracestate(event.tracestate)) cause.tracestate = event.tracestate;
  }
  if (event.priority === 'emergency') cause.priority = event.priority;
  return cause as unknown as CloudEvent;
}

/** Whether `value` is a W3C tracestate list (at most 32 `key=value` members, 512 characters). */
export function isTracestate(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > TRACESTATE_MAX_LENGTH) return false;
  // Empty members (`a=1,,b=2`) and optional whitespace around commas are allowed.
  const members = value.split(',').map((member) => member.trim()).filter((member) => member.length > 0);
  return members.length <= TRACESTATE_MAX_MEMBERS && members.every((member) => TRACESTATE_MEMBER.test(member));
}

function requireString(event: Received, attribute: string): void {
  const value = event[attribute];
  if (typeof value !== 'string' || value.length === 0) throw badAttribute(event, attribute, 'a non-empty string');
}

function optionalString(event: Received, attribute: string): void {
  const value = event[attribute];
  if (value !== undefined && typeof value !== 'string') throw badAttribute(event, attribute, 'a string');
}

function badAttribute(event: Received, attribute: string, expected: string): PolisError {
  const value = event[attribute];
  const shown = value === undefined ? 'it is missing' : `got ${excerpt(value)}`;
  return undecodable(`attribute '${attribute}' must be ${expected}; ${shown}`, {
    attribute,
    ...(typeof event.id === 'string' ? { id: event.id } : {}),
    ...(typeof event.type === 'string' ? { type: event.type } : {}),
  });
}

/** A bounded, readable rendering of a refused value: a hostile sender must not fill the logs. */
function excerpt(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : `${typeof value} ${JSON.stringify(value) ?? String(value)}`;
  } catch {
    text = typeof value;
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function undecodable(reason: string, details: Record<string, unknown> = {}): PolisError {
  return new PolisError(ErrorCodes.EVENT_UNDECODABLE, reason, { details });
}
