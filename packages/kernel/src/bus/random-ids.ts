import { randomFillSync } from 'node:crypto';

/**
 * Random ids for the publish hot path, drawn from the CSPRNG in blocks and written as one flat
 * ASCII string each. Node's `randomUUID` and hex concatenation build each id as a tree of about a
 * dozen string pieces (450 bytes): at a million events a second that garbage, live while a burst
 * of events waits for its handlers, was copied by every scavenge and promoted to the old
 * generation, and collecting it was a third of the bus's time.
 */
/** 64 KiB: a fill costs about 6 µs of call overhead whatever its size (4 KiB: 600 MB/s, 64 KiB: 3.5 GB/s on this machine). */
const POOL = Buffer.alloc(65536);
let poolAt = POOL.length;
/**
 * Where ids are written before they are read out as one string: a UUID at 0-35, a traceparent
 * at 36-90. An event's id and traceparent are read out together and sliced apart (V8 slices share
 * the string read), one read of the buffer where there were two: each read is a call into C++,
 * and the two were a quarter of a publish. The traceparent's fixed characters are written once.
 */
const OUT = Buffer.from(`${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}00-${'0'.repeat(32)}-${'0'.repeat(16)}-01`, 'latin1');
const TRACEPARENT_AT = 36;
/** The two hex digits of each byte value, at 2 * byte: one lookup per digit, no shifts and masks per digit. */
const HEX_PAIRS = new Uint8Array(512);
for (let byte = 0; byte < 256; byte++) {
  HEX_PAIRS[2 * byte] = '0123456789abcdef'.charCodeAt(byte >> 4);
  HEX_PAIRS[2 * byte + 1] = '0123456789abcdef'.charCodeAt(byte & 15);
}
/**
 * Reads `OUT` from `start` to `end` as a string. `latin1Slice` is what `toString('latin1')` calls
 * after checking its arguments in JavaScript (40 % of the read's time here); kept behind a check
 * for a Node that no longer has it.
 */
const read: (start: number, end: number) => string =
  typeof (OUT as { latin1Slice?: unknown }).latin1Slice === 'function'
    ? (start, end) => (OUT as unknown as { latin1Slice(start: number, end: number): string }).latin1Slice(start, end)
    : (start, end) => OUT.toString('latin1', start, end);

function take(bytes: number): number {
  if (poolAt + bytes > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += bytes;
  return at;
}

/** Writes `bytes` pool bytes from `at` as hex into `OUT` at `offset`; returns their OR (0: all zeros). */
function writeHex(offset: number, at: number, bytes: number): number {
  let any = 0;
  for (let i = 0; i < bytes; i++) {
    const byte = POOL[at + i]!;
    any |= byte;
    OUT[offset++] = HEX_PAIRS[byte << 1]!;
    OUT[offset++] = HEX_PAIRS[(byte << 1) + 1]!;
  }
  return any;
}

/** Writes a random id of `bytes` bytes as hex at `OUT[offset]`, never all zeros (invalid as a W3C trace or span id). */
function writeRandomId(offset: number, bytes: number): void {
  while (writeHex(offset, take(bytes), bytes) === 0);
}

/** Writes a random UUID (RFC 9562 version 4) at `OUT[0]`: its hex groups, the version and variant bits set. */
function writeUuid(): void {
  const at = take(16);
  writeHex(0, at, 4);
  writeHex(9, at + 4, 2);
  POOL[at + 6] = (POOL[at + 6]! & 0x0f) | 0x40;
  writeHex(14, at + 6, 2);
  POOL[at + 8] = (POOL[at + 8]! & 0x3f) | 0x80;
  writeHex(19, at + 8, 2);
  writeHex(24, at + 10, 6);
}

/** Writes a traceparent at `OUT[36]`: `parent`'s trace id and flags (any version) with a new span id, or a new trace's ids, flags sampled (01) or not (00). */
function writeTraceparent(parent: string | undefined, sampled: boolean): void {
  const o = TRACEPARENT_AT;
  if (parent === undefined) {
    writeRandomId(o + 3, 16);
    OUT[o + 53] = 0x30;
    OUT[o + 54] = sampled ? 0x31 : 0x30;
  } else {
    for (let i = 3; i < 35; i++) OUT[o + i] = parent.charCodeAt(i);
    OUT[o + 53] = parent.charCodeAt(53);
    OUT[o + 54] = parent.charCodeAt(54);
  }
  writeRandomId(o + 36, 8);
}

/** A random UUID (RFC 9562 version 4) from the CSPRNG. */
export function randomUuid(): string {
  writeUuid();
  return read(0, 36);
}

/** A W3C traceparent of a new trace, random trace and span ids, marked sampled (01, the default) or not (00). */
export function newTraceparent(sampled = true): string {
  writeTraceparent(undefined, sampled);
  return read(TRACEPARENT_AT, TRACEPARENT_AT + 55);
}

/** A version 00 traceparent continuing `traceparent` (valid, any version): its trace id and flags, a new random span id. */
export function childTraceparent(traceparent: string): string {
  writeTraceparent(traceparent, true);
  return read(TRACEPARENT_AT, TRACEPARENT_AT + 55);
}

/** A new event's id and traceparent: {@link randomUuid}, and {@link childTraceparent} of `parent` or, without one, {@link newTraceparent}. */
export interface EventIds {
  readonly id: string;
  readonly traceparent: string;
}

/** What {@link newTraceparent} and {@link childTraceparent} make, and a random UUID beside it, read out as one string. */
export function eventIds(parent: string | undefined, sampled = true): EventIds {
  writeUuid();
  writeTraceparent(parent, sampled);
  const both = read(0, TRACEPARENT_AT + 55);
  return { id: both.slice(0, TRACEPARENT_AT), traceparent: both.slice(TRACEPARENT_AT) };
}
