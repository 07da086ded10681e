import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import type { RawMessage } from '@polis/kernel/transport';
import type { Msg } from '@nats-io/transport-node';
import { decodeCloudEvent } from './binding-decoder.js';
import { headerText, headerValues, startsAsStructured } from './wire-headers.js';

/** What is read of a received core or JetStream message. */
export type WireMessage = Pick<Msg, 'subject' | 'data' | 'headers'>;

/** Dead letters keep at most this much of an undecodable payload, so the letter itself stays publishable. */
const MAX_RAW_PAYLOAD_CHARS = 64 * 1024;
const utf8 = new TextDecoder();

/**
 * Decodes a received message into a CloudEvent, or throws a PolisError (EVENT_UNDECODABLE) saying
 * why it cannot be: a malformed header block, a header that is not valid percent-encoding, a
 * payload that is not JSON, or, given the `root` its subjects start with (`<prefix>.evt.`), a type
 * other than the one its subject names: a sender the broker allows one subject cannot slip in
 * events of another type.
 */
export function decodeMessage(message: WireMessage, root: string | undefined): CloudEvent {
  const structured = startsAsStructured(message);
  const event = decodeCloudEvent(structured ? undefined : headerText(message), message.data, structured);
  if (root === undefined) return event;
  const subject = message.subject;
  const type = event.type;
  // Compared in place: slicing the type out of every subject would cost an allocation per message.
  if (typeof type !== 'string' || subject.length !== root.length + type.length || !subject.endsWith(type) || !subject.startsWith(root)) {
    throw new PolisError(ErrorCodes.EVENT_UNDECODABLE, `the event's type '${String(type)}' is not the type its subject names ('${subject.slice(root.length)}')`, {
      details: { subject, type },
    });
  }
  return event;
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
