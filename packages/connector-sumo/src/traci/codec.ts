import { DataType } from './constants.js';
import { TraciProtocolError } from './errors.js';

/**
 * Builds TraCI content: big-endian numbers, strings as a 32-bit length and Latin-1 bytes, typed
 * values prefixed by their type tag (https://sumo.dlr.de/docs/TraCI/Protocol.html#data_types).
 */
export class TraciWriter {
  #buffer = Buffer.allocUnsafe(256);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  ubyte(value: number): this {
    this.#ensure(1);
    this.#buffer.writeUInt8(value, this.#length);
    this.#length += 1;
    return this;
  }

  byte(value: number): this {
    this.#ensure(1);
    this.#buffer.writeInt8(value, this.#length);
    this.#length += 1;
    return this;
  }

  int(value: number): this {
    this.#ensure(4);
    this.#buffer.writeInt32BE(value, this.#length);
    this.#length += 4;
    return this;
  }

  double(value: number): this {
    this.#ensure(8);
    this.#buffer.writeDoubleBE(value, this.#length);
    this.#length += 8;
    return this;
  }

  string(value: string): this {
    const bytes = Buffer.from(value, 'latin1');
    this.int(bytes.length);
    this.bytes(bytes);
    return this;
  }

  stringList(values: readonly string[]): this {
    this.int(values.length);
    for (const value of values) this.string(value);
    return this;
  }

  bytes(bytes: Uint8Array): this {
    this.#ensure(bytes.length);
    this.#buffer.set(bytes, this.#length);
    this.#length += bytes.length;
    return this;
  }

  typedInt(value: number): this {
    return this.ubyte(DataType.INTEGER).int(value);
  }

  typedByte(value: number): this {
    return this.ubyte(DataType.BYTE).byte(value);
  }

  typedDouble(value: number): this {
    return this.ubyte(DataType.DOUBLE).double(value);
  }

  typedString(value: string): this {
    return this.ubyte(DataType.STRING).string(value);
  }

  typedStringList(values: readonly string[]): this {
    return this.ubyte(DataType.STRING_LIST).stringList(values);
  }

  /** A compound's header: its tag and the number of items that follow. */
  compound(items: number): this {
    return this.ubyte(DataType.COMPOUND).int(items);
  }

  /** A copy of what has been written. */
  toBuffer(): Buffer {
    return Buffer.from(this.#buffer.subarray(0, this.#length));
  }

  #ensure(extra: number): void {
    if (this.#length + extra <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#length + extra));
    this.#buffer.copy(grown, 0, 0, this.#length);
    this.#buffer = grown;
  }
}

/** A value SUMO sent, decoded by its type tag. */
export type TraciValue = number | string | readonly string[] | readonly number[] | { readonly x: number; readonly y: number } | TraciCompound;

/** A compound value: its items in order. */
export interface TraciCompound {
  readonly compound: readonly TraciValue[];
}

/** Reads TraCI content; every read checks it stays inside the buffer. */
export class TraciReader {
  readonly #buffer: Buffer;
  #offset: number;
  readonly #end: number;

  constructor(buffer: Buffer, offset = 0, end = buffer.length) {
    this.#buffer = buffer;
    this.#offset = offset;
    this.#end = end;
  }

  get offset(): number {
    return this.#offset;
  }

  get remaining(): number {
    return this.#end - this.#offset;
  }

  ubyte(): number {
    this.#need(1);
    return this.#buffer.readUInt8(this.#offset++);
  }

  byte(): number {
    this.#need(1);
    return this.#buffer.readInt8(this.#offset++);
  }

  int(): number {
    this.#need(4);
    const value = this.#buffer.readInt32BE(this.#offset);
    this.#offset += 4;
    return value;
  }

  double(): number {
    this.#need(8);
    const value = this.#buffer.readDoubleBE(this.#offset);
    this.#offset += 8;
    return value;
  }

  string(): string {
    const length = this.int();
    if (length < 0) throw new TraciProtocolError(`negative string length ${length} at byte ${this.#offset - 4}`);
    this.#need(length);
    const value = this.#buffer.toString('latin1', this.#offset, this.#offset + length);
    this.#offset += length;
    return value;
  }

  stringList(): string[] {
    const count = this.int();
    if (count < 0) throw new TraciProtocolError(`negative list length ${count}`);
    return Array.from({ length: count }, () => this.string());
  }

  /** Skips `count` bytes. */
  skip(count: number): void {
    this.#need(count);
    this.#offset += count;
  }

  /** A typed value: its type tag, then the value in that type's encoding. */
  value(): TraciValue {
    return this.valueOf(this.ubyte());
  }

  /** A value of a type whose tag has already been read. */
  valueOf(type: number): TraciValue {
    switch (type) {
      case DataType.UBYTE:
        return this.ubyte();
      case DataType.BYTE:
        return this.byte();
      case DataType.INTEGER:
        return this.int();
      case DataType.DOUBLE:
        return this.double();
      case DataType.STRING:
        return this.string();
      case DataType.STRING_LIST:
        return this.stringList();
      case DataType.DOUBLE_LIST: {
        const count = this.int();
        return Array.from({ length: count }, () => this.double());
      }
      case DataType.POSITION_2D:
      case DataType.POSITION_LON_LAT:
        return { x: this.double(), y: this.double() };
      case DataType.POSITION_3D:
      case DataType.POSITION_LON_LAT_ALT: {
        const point = { x: this.double(), y: this.double() };
        this.double();
        return point;
      }
      case DataType.COLOR:
        return [this.ubyte(), this.ubyte(), this.ubyte(), this.ubyte()];
      case DataType.POLYGON: {
        let count = this.ubyte();
        if (count === 0) count = this.int();
        const coordinates: number[] = [];
        for (let i = 0; i < count; i++) coordinates.push(this.double(), this.double());
        return coordinates;
      }
      case DataType.COMPOUND: {
        const count = this.int();
        return { compound: Array.from({ length: count }, () => this.value()) };
      }
      default:
        throw new TraciProtocolError(`unknown value type 0x${type.toString(16)} at byte ${this.#offset - 1}`);
    }
  }

  /**
   * A command's length field: one byte, or 0 followed by a 32-bit length. Returns the offset at
   * which the command ends.
   */
  commandLength(): { readonly endOffset: number } {
    const start = this.#offset;
    let length = this.ubyte();
    if (length === 0) length = this.int();
    if (length < this.#offset - start + 1) throw new TraciProtocolError(`command length ${length} at byte ${start} is shorter than its header`);
    const endOffset = start + length;
    if (endOffset > this.#end) throw new TraciProtocolError(`command at byte ${start} claims ${length} bytes, only ${this.#end - start} left`);
    return { endOffset };
  }

  /** Moves to an absolute offset inside the buffer (to skip the rest of a command). */
  seek(offset: number): void {
    if (offset < this.#offset || offset > this.#end) throw new TraciProtocolError(`cannot seek to byte ${offset} (at ${this.#offset}, end ${this.#end})`);
    this.#offset = offset;
  }

  #need(bytes: number): void {
    if (this.#offset + bytes > this.#end) {
      throw new TraciProtocolError(`message ends after ${this.#end} bytes; needed ${bytes} more at byte ${this.#offset}`);
    }
  }
}

/** Frames one command: its length (short or extended form), its id, then its content. */
export function frameCommand(commandId: number, content: Buffer): Buffer {
  const writer = new TraciWriter();
  if (content.length + 2 <= 255) writer.ubyte(content.length + 2);
  else writer.ubyte(0).int(content.length + 6);
  writer.ubyte(commandId).bytes(content);
  return writer.toBuffer();
}

/** Frames a message: its total length (including these 4 bytes), then its commands. */
export function frameMessage(commands: readonly Buffer[]): Buffer {
  const length = 4 + commands.reduce((total, command) => total + command.length, 0);
  const header = Buffer.allocUnsafe(4);
  header.writeInt32BE(length, 0);
  return Buffer.concat([header, ...commands], length);
}
