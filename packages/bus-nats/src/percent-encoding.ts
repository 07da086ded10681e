import { ErrorCodes, PolisError } from '@polis/plugin-api';

/**
 * Header values as the CloudEvents NATS binding (3.1.3.2) wants them: printable US-ASCII, with
 * space, `"`, `%` and everything outside U+0021..U+007E percent-encoded from UTF-8.
 */
const NEEDS_ENCODING = /[^!#$&-~]/;
const HEX = Array.from({ length: 256 }, (_, byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`);
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function encodeHeaderValue(value: string): string {
  // Ids, types, times and trace contexts never need encoding: one regex test and no copy.
  if (!NEEDS_ENCODING.test(value)) return value;
  let out = '';
  // for..of walks code points, so a surrogate pair is encoded as the one character it is.
  for (const char of value) {
    if (!NEEDS_ENCODING.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8')) out += HEX[byte];
  }
  return out;
}

/**
 * Reverses {@link encodeHeaderValue}: a double-quoted value is unquoted first (older senders
 * quote), then one round of percent-decoding; lower-case hex is accepted, byte sequences that are
 * not valid UTF-8 (overlong forms included) are refused.
 */
export function decodeHeaderValue(name: string, raw: string): string {
  const value = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? unquote(raw.slice(1, -1)) : raw;
  if (!value.includes('%')) return value;
  const bytes: number[] = [];
  let i = 0;
  while (i < value.length) {
    if (value.charCodeAt(i) === 0x25) {
      const hex = value.slice(i + 1, i + 3);
      if (!HEX_PAIR.test(hex)) throw undecodable(name, `'%' must be followed by two hex digits in '${raw}'`);
      bytes.push(Number.parseInt(hex, 16));
      i += 3;
      continue;
    }
    const point = value.codePointAt(i)!;
    if (point < 0x80) {
      bytes.push(point);
      i += 1;
    } else {
      // A sender that did not encode non-ASCII: take the character as it is.
      const char = String.fromCodePoint(point);
      bytes.push(...Buffer.from(char, 'utf8'));
      i += char.length;
    }
  }
  try {
    return strictUtf8.decode(Uint8Array.from(bytes));
  } catch (cause) {
    throw undecodable(name, `'${raw}' percent-decodes to bytes that are not valid UTF-8`, cause);
  }
}

function unquote(quoted: string): string {
  return quoted.replace(/\\(.)/g, '$1');
}

function undecodable(header: string, reason: string, cause?: unknown): PolisError {
  return new PolisError(ErrorCodes.EVENT_UNDECODABLE, `header ${header}: ${reason}`, { cause, details: { header } });
}
