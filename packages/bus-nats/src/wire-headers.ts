import { MsgHdrsImpl } from '@nats-io/transport-node';
import type { Msg, MsgHdrs } from '@nats-io/transport-node';

/**
 * A header block encoded once by the binding encoder. nats.js only calls `encode()` on the
 * headers of an outgoing message; its own MsgHdrs validates and re-encodes each header on every
 * publish, which costs more than the rest of a publish. Outbound only: the accessors of the
 * base class see no headers.
 */
export class EncodedHeaders extends MsgHdrsImpl {
  constructor(private readonly bytes: Uint8Array) {
    super();
  }

  override encode(): Uint8Array {
    return this.bytes;
  }
}

/** The header block's start when Polis writes structured mode to JetStream (see StructuredModeEncoder). */
const STRUCTURED_BLOCK_START = Buffer.from('NATS/1.0\r\ncontent-type: application/cloudevents+json\r\n', 'latin1');

/**
 * Whether the header block starts the way Polis writes a structured-mode event: then the
 * content type is settled without decoding the block to text, a saving on every stored event.
 */
export function startsAsStructured(message: Pick<Msg, 'headers'>): boolean {
  const internals = message as MsgInternals;
  const core = internals.msg ?? internals;
  if (!core._msg || !(core._rdata instanceof Uint8Array) || core._msg.hdr < STRUCTURED_BLOCK_START.length) return false;
  return STRUCTURED_BLOCK_START.equals(core._rdata.subarray(0, STRUCTURED_BLOCK_START.length));
}

/** Header values by lower-cased name (NATS header names are case-insensitive); the first of repeated names wins. */
export type HeaderValues = Record<string, string>;

const STATUS_LINE = 'NATS/1.0';
const utf8 = new TextDecoder();

/** The nats.js message internals read here: the raw bytes and where the header block ends. */
interface MsgInternals {
  readonly _rdata?: Uint8Array;
  readonly _msg?: { readonly hdr: number };
  /** A JetStream message wraps the core message. */
  readonly msg?: MsgInternals;
}

/**
 * The header block of a received message as text, or undefined if it has none. It is read from
 * the wire bytes when the message exposes them: nats.js's own header parser appends each line with
 * a linear key search, which is quadratic in the number of CloudEvents attributes.
 */
export function headerText(message: Pick<Msg, 'headers'>): string | undefined {
  const internals = message as MsgInternals;
  const core = internals.msg ?? internals;
  if (core._msg && core._rdata instanceof Uint8Array) {
    const end = core._msg.hdr;
    return end > 0 ? utf8.decode(core._rdata.subarray(0, end)) : undefined;
  }
  return serialize(message.headers);
}

function serialize(headers: MsgHdrs | undefined): string | undefined {
  if (!headers) return undefined;
  let text = STATUS_LINE;
  for (const [name, values] of headers) for (const value of values) text += `\r\n${name}: ${value}`;
  return `${text}\r\n\r\n`;
}

/**
 * The headers of a block as they are, for a dead letter: names lower-cased, values trimmed, lines
 * that are not `name: value` left out (the letter's reason names them).
 */
export function headerValues(text: string): HeaderValues {
  const values: HeaderValues = {};
  const lines = text.split('\r\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!Object.hasOwn(values, name)) values[name] = line.slice(colon + 1).trim();
  }
  return values;
}
