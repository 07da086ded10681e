import { ErrorCodes } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';
import { decodeHeaderValue, encodeHeaderValue } from './percent-encoding.js';

describe('percent-encoding of header values (CloudEvents NATS binding 3.1.3.2)', () => {
  it('encodes the binding\'s own example: space and each UTF-8 byte of non-ASCII characters, surrogate pairs as one character', () => {
    expect(encodeHeaderValue('Euro € 😀')).toBe('Euro%20%E2%82%AC%20%F0%9F%98%80');
  });

  it('encodes space, double quote and percent, and leaves the rest of printable ASCII as it is', () => {
    expect(encodeHeaderValue('a "b" 100%')).toBe('a%20%22b%22%20100%25');
    const printable = Array.from({ length: 0x7e - 0x20 }, (_, i) => String.fromCharCode(0x21 + i)).filter((c) => c !== '"' && c !== '%').join('');
    expect(encodeHeaderValue(printable)).toBe(printable);
    expect(encodeHeaderValue('tab\there\u007f')).toBe('tab%09here%7F');
  });

  it('round-trips any string', () => {
    for (const value of ['Straße 7', 'Kreuzung "Süd"', '100% 😀 ok', '\u00a0', 'urn:polis:schema:a.b.c:1']) {
      expect(decodeHeaderValue('ce-x', encodeHeaderValue(value))).toBe(value);
    }
  });

  it('decodes lower-case hex, needless encodings and double-quoted values from older senders', () => {
    expect(decodeHeaderValue('ce-x', 'Stra%c3%9fe')).toBe('Straße');
    expect(decodeHeaderValue('ce-x', '%41%42C')).toBe('ABC');
    expect(decodeHeaderValue('ce-x', '"a \\"quoted\\" value"')).toBe('a "quoted" value');
  });

  it('refuses bytes that are not UTF-8 (an overlong space) and a % without two hex digits', () => {
    expect(() => decodeHeaderValue('ce-subject', '%C0%A0')).toThrow(expect.objectContaining({ code: ErrorCodes.EVENT_UNDECODABLE, message: expect.stringContaining('ce-subject') }));
    expect(() => decodeHeaderValue('ce-id', 'abc%Z1')).toThrow(expect.objectContaining({ code: ErrorCodes.EVENT_UNDECODABLE }));
    expect(() => decodeHeaderValue('ce-id', 'abc%4')).toThrow(expect.objectContaining({ code: ErrorCodes.EVENT_UNDECODABLE }));
  });
});
