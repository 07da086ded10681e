import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import type { RawMessage } from '@polis/kernel/transport';
import type { Msg } from '@nats-io/transport-node';
import { decodeCloudEvent } from './binding-decoder.js';
import { subjectToken } from './subject-scheme.js';
import { headerText, headerValues, startsAsStructured } from './wire-headers.js';

/** What is read of a received core or JetStream message. */
export type WireMessage = Pick<Msg, 'subject' | 'data' | 'headers'>;

/** Dead letters keep at most this much of an undecodable payload, so the letter itself stays publishable. */
const MAX_RAW_PAYLOAD_CHARS = 64 * 1024;
const utf8 = new TextDecoder();

/**
 * Decodes a received message into a CloudEvent, or throws a PolisError (EVENT_UNDECODABLE) saying
 * why it cannot be: a malformed header block, a header that is not valid percent-encoding, a
 * payload that is not JSON, or, given the `root` its subjects start with (`<prefix>.evt.`), a
 * type or a source other than the ones its subject names (`<root><publisher>.<type>`): a sender
 * the broker allows one subject cannot slip in events of another type, nor under another
 * publisher's name.
 */
export function decodeMessage(message: WireMessage, root: string | undefined): CloudEvent {
  const structured = startsAsStructured(message);
  const event = decodeCloudEvent(structured ? undefined : headerText(message), message.data, structured);
  if (root === undefined) return event;
  const subject = message.subject;
  const type = event.type;
  const source = event.source;
  if (typeof type !== 'string') throw unnamed(subject, type, source, root);
  // No source at all is the envelope's fault, refused on admission with the attribute named.
  if (typeof source !== 'string') {
    if (!subject.startsWith(root) || !subject.endsWith(`.${type}`)) throw unnamed(subject, type, source, root);
    return event;
  }
  const publisher = subjectToken(source);
  if (!named(subject, root, publisher, type)) throw unnamed(subject, type, source, root);
  return event;
}

/**
 * Decodes a received query (on `<root><type>`, no publisher token: a reply goes back to the
 * requester's inbox, and the broker binds the request subject to the login) as `decodeMessage`
 * does an event.
 */
export function decodeQuery(message: WireMessage, root: string): CloudEvent {
  const event = decodeMessage(message, undefined);
  const type = event.type;
  if (typeof type !== 'string' || !named(message.subject, root, undefined, type)) throw unnamed(message.subject, type, event.source, root, 'type');
  return event;
}

/** Whether the subject is `<root><publisher>.<type>` (or `<root><type>` without a publisher). */
function named(subject: string, root: string, publisher: string | undefined, type: string): boolean {
  const head = publisher === undefined ? root.length : root.length + publisher.length + 1;
  // Compared in place: slicing the type out of every subject would cost an allocation per message.
  return (
    subject.length === head + type.length &&
    subject.endsWith(type) &&
    subject.startsWith(root) &&
    (publisher === undefined || (subject.startsWith(publisher, root.length) && subject.charCodeAt(head - 1) === DOT))
  );
}

const DOT = 46;

function unnamed(subject: string, type: unknown, source: unknown, root: string, what = 'publisher and type'): PolisError {
  return new PolisError(ErrorCodes.EVENT_UNDECODABLE, `the event (type '${String(type)}', source '${String(source)}') is not the ${what} its subject names ('${subject.slice(root.length)}')`, {
    details: { subject, type: String(type), source: String(source) },
  });
}

/** The message as it arrived, for the dead letter of a message that could not be decoded. */
export function rawMessage(message: WireMessage): RawMessage {
  const text = headerText(message);
  const payload = utf8.decode(message.data);
  return {
    subject: message.subject,
    headers: text === undefined ? {} : headerValues(text),
    payload: payload.length > MAX_RAW_PAYLOAD_CHARS ? payload.slice(0, MAX_RAW_PAYLOAD_CHARS) : payload,
  };
}

/** Whether a message was written in the binding's binary mode (its attributes in `ce-` headers). */
export function isBinaryMode(message: WireMessage): boolean {
  return headerText(message)?.toLowerCase().includes('\r\nce-specversion:') ?? false;
}
