import { randomFillSync } from 'node:crypto';

/**
 * Random ids for the publish hot path: an event's UUID and its traceparent, drawn from the CSPRNG
 * and written as text a block of records at a time, each record read out as one flat string.
 *
 * Why so: Node's `randomUUID` and hex concatenation build each id as a tree of about a dozen
 * string pieces (450 bytes), garbage that a burst of queued events kept alive through scavenges.
 * Writing each id's hex into a buffer per call, from a 64 KiB pool, fixed that but still cost a
 * fifth of an in-memory event: seven small writer calls and three pool draws per event.
 * Formatting 512 records in one loop after one `randomFillSync` made in-memory throughput 1.3 to
 * 1.5 times as high (2026-12-03, docs/performance.md). Each record is read out on its own, so a
 * kept id holds 91 bytes, not the block: a slice of a block-wide string would keep 46 KB alive
 * for every id a plugin stores.
 */

/** Records per block: one `randomFillSync` and one formatting loop per this many events. */
const RECORDS = 512;
/** A record: a UUID (0-35), then a traceparent (36-90), `00-<trace id>-<span id>-<flags>`. */
const RECORD = 91;
const TRACEPARENT_AT = 36;
const TRACE_ID_AT = TRACEPARENT_AT + 3;
const SPAN_ID_AT = TRACEPARENT_AT + 36;
const FLAGS_AT = TRACEPARENT_AT + 53;
/** Random bytes per record: 16 for the UUID, 16 for the trace id, 8 for the span id; none shared. */
const RANDOM_PER_RECORD = 40;

const RANDOM = Buffer.alloc(RECORDS * RANDOM_PER_RECORD);
const TEXT = Buffer.alloc(RECORDS * RECORD);
{
  const template = `${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}00-${'0'.repeat(32)}-${'0'.repeat(16)}-01`;
  for (let r = 0; r < RECORDS; r++) TEXT.write(template, r * RECORD, 'latin1');
}
/** The next record to hand out; RECORDS: the block is used up. */
let next = RECORDS;

/** The two hex digits of each byte value, at 2 * byte: one lookup per digit, no shifts and masks per digit. */
const HEX_PAIRS = new Uint8Array(512);
for (let byte = 0; byte < 256; byte++) {
  HEX_PAIRS[2 * byte] = '0123456789abcdef'.charCodeAt(byte >> 4);
  HEX_PAIRS[2 * byte + 1] = '0123456789abcdef'.charCodeAt(byte & 15);
}

/**
 * Reads `TEXT` from `start` to `end` as a string. `latin1Slice` is what `toString('latin1')` calls
 * after checking its arguments in JavaScript (40 % of the read's time here); kept behind a check
 * for a Node that no longer has it.
 */
const read: (start: number, end: number) => string =
  typeof (TEXT as { latin1Slice?: unknown }).latin1Slice === 'function'
    ? (start, end) => (TEXT as unknown as { latin1Slice(start: number, end: number): string }).latin1Slice(start, end)
    : (start, end) => TEXT.toString('latin1', start, end);

/** Writes `bytes` random bytes from `at` as hex into `TEXT` at `offset`; returns their OR (0: all zeros). */
function writeHex(offset: number, at: number, bytes: number): number {
  let any = 0;
  for (let i = 0; i < bytes; i++) {
    const byte = RANDOM[at + i]!;
    any |= byte;
    TEXT[offset++] = HEX_PAIRS[byte << 1]!;
    TEXT[offset++] = HEX_PAIRS[(byte << 1) + 1]!;
  }
  return any;
}

/** Draws a block of random bytes and writes every record's UUID (RFC 9562 version 4), trace id and span id. */
function refill(): void {
  randomFillSync(RANDOM);
  for (let r = 0; r < RECORDS; r++) {
    const at = r * RANDOM_PER_RECORD;
    const o = r * RECORD;
    RANDOM[at + 6] = (RANDOM[at + 6]! & 0x0f) | 0x40;
    RANDOM[at + 8] = (RANDOM[at + 8]! & 0x3f) | 0x80;
    writeHex(o, at, 4);
    writeHex(o + 9, at + 4, 2);
    writeHex(o + 14, at + 6, 2);
    writeHex(o + 19, at + 8, 2);
    writeHex(o + 24, at + 10, 6);
    // All zeros is an invalid W3C id; at odds of 2^-64 and less, one digit set to 1 costs no randomness worth having.
    if (writeHex(o + TRACE_ID_AT, at + 16, 16) === 0) TEXT[o + TRACE_ID_AT + 31] = 0x31;
    if (writeHex(o + SPAN_ID_AT, at + 32, 8) === 0) TEXT[o + SPAN_ID_AT + 15] = 0x31;
  }
  next = 0;
}

/** The offset in `TEXT` of a record not handed out before. */
function take(): number {
  if (next === RECORDS) refill();
  return RECORD * next++;
}

/** Sets a record's traceparent to a new trace, flags sampled (01) or not (00). */
function newTrace(o: number, sampled: boolean): void {
  TEXT[o + FLAGS_AT] = 0x30;
  TEXT[o + FLAGS_AT + 1] = sampled ? 0x31 : 0x30;
}

/** Sets a record's traceparent to continue `parent` (valid, any version): its trace id and flags; the record's span id stays. */
function continueTrace(o: number, parent: string): void {
  for (let i = 0; i < 32; i++) TEXT[o + TRACE_ID_AT + i] = parent.charCodeAt(3 + i);
  TEXT[o + FLAGS_AT] = parent.charCodeAt(53);
  TEXT[o + FLAGS_AT + 1] = parent.charCodeAt(54);
}

/** A random UUID (RFC 9562 version 4) from the CSPRNG. */
export function randomUuid(): string {
  const o = take();
  return read(o, o + TRACEPARENT_AT);
}

/** A W3C traceparent of a new trace, random trace and span ids, marked sampled (01, the default) or not (00). */
export function newTraceparent(sampled = true): string {
  const o = take();
  newTrace(o, sampled);
  return read(o + TRACEPARENT_AT, o + RECORD);
}

/** A version 00 traceparent continuing `traceparent` (valid, any version): its trace id and flags, a new random span id. */
export function childTraceparent(traceparent: string): string {
  const o = take();
  continueTrace(o, traceparent);
  return read(o + TRACEPARENT_AT, o + RECORD);
}

/** A new event's id and traceparent: {@link randomUuid}, and {@link childTraceparent} of `parent` or, without one, {@link newTraceparent}. */
export interface EventIds {
  readonly id: string;
  readonly traceparent: string;
}

/**
 * What {@link randomUuid} and {@link newTraceparent} or {@link childTraceparent} make, from one
 * record read out as one string and sliced apart (V8's slices share it): each read is a call into
 * C++, and two reads were a quarter of an in-memory publish.
 */
export function eventIds(parent: string | undefined, sampled = true): EventIds {
  const o = take();
  if (parent === undefined) newTrace(o, sampled);
  else continueTrace(o, parent);
  const both = read(o, o + RECORD);
  return { id: both.slice(0, TRACEPARENT_AT), traceparent: both.slice(TRACEPARENT_AT) };
}
