/**
 * Protocol Buffers wire-format reading over a byte array. Every read is bounded by an explicit
 * `end` (the enclosing message's end), so a length inside one span can never reach into the next.
 */

/** Thrown inside the protobuf decoder for malformed bytes; caught by the decoder, never escapes it. */
export class WireError extends Error {
  /** Byte offset where the problem was found. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

export const VARINT = 0;
export const FIXED64 = 1;
export const LEN = 2;
export const START_GROUP = 3;
export const END_GROUP = 4;
export const FIXED32 = 5;

const WIRE_TYPE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32'];

/** Unknown groups nest; deeper than this is refused rather than risking the stack or a long scan. */
const MAX_GROUP_DEPTH = 32;

export class WireReader {
  readonly buf: Uint8Array;
  pos = 0;
  private view: DataView | undefined;

  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  /** An unsigned varint up to 2^53 (tags, lengths, enums, uint32 counts). */
  varint(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= end) throw new WireError('truncated varint: the message ends', pos);
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let result = b & 0x7f;
    let scale = 128;
    for (let i = 1; i < 10; i++) {
      if (pos >= end) throw new WireError('truncated varint: the message ends inside it', pos);
      b = buf[pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) {
        this.pos = pos;
        return result;
      }
      scale *= 128;
    }
    throw new WireError('malformed varint: more than 10 bytes', pos);
  }

  /** A two's-complement int64 varint as the nearest float64 (exact within ±2^53). */
  int64(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) throw new WireError('truncated varint: the message ends inside it', pos);
      b = buf[pos++]!;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return lo;
      }
    }
    if (pos >= end) throw new WireError('truncated varint: the message ends inside it', pos);
    b = buf[pos++]!;
    lo |= (b & 0x7f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      for (let shift = 3; ; shift += 7) {
        if (shift > 31) throw new WireError('malformed varint: more than 10 bytes', pos);
        if (pos >= end) throw new WireError('truncated varint: the message ends inside it', pos);
        b = buf[pos++]!;
        hi |= (b & 0x7f) << shift;
        if (b < 0x80) break;
      }
    }
    this.pos = pos;
    return (hi | 0) * 4294967296 + (lo >>> 0);
  }

  /** Reads a length prefix; returns where the length-delimited bytes end (checked against `end`). */
  lengthEnd(end: number): number {
    const at = this.pos;
    const len = this.varint(end);
    const stop = this.pos + len;
    if (stop > end) {
      throw new WireError(`length ${len} runs past the end of its message (${end - this.pos} bytes left)`, at);
    }
    return stop;
  }

  /** Unsigned 32-bit little-endian at the current position (fixed32 or half of a fixed64). */
  uint32(end: number): number {
    const pos = this.pos;
    if (pos + 4 > end) throw new WireError('truncated fixed-width field: the message ends inside it', pos);
    const buf = this.buf;
    this.pos = pos + 4;
    return (buf[pos]! | (buf[pos + 1]! << 8) | (buf[pos + 2]! << 16)) + buf[pos + 3]! * 0x1000000;
  }

  double(end: number): number {
    const pos = this.pos;
    if (pos + 8 > end) throw new WireError('truncated double: the message ends inside it', pos);
    this.pos = pos + 8;
    this.view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return this.view.getFloat64(pos, true);
  }

  /** Skips the value of a field with this tag: how unknown fields stay forward compatible. */
  skip(tag: number, end: number): void {
    const at = this.pos;
    switch (tag & 7) {
      case VARINT:
        this.varint(end);
        return;
      case FIXED64:
        this.advance(8, end);
        return;
      case LEN:
        this.pos = this.lengthEnd(end);
        return;
      case START_GROUP:
        this.skipGroup(tag >>> 3, end, 1);
        return;
      case FIXED32:
        this.advance(4, end);
        return;
      default:
        throw new WireError(`invalid wire type ${tag & 7} (field ${Math.floor(tag / 8)})`, at);
    }
  }

  /** Reads a tag; field 0 and end-group tags outside a group are malformed. */
  tag(end: number): number {
    const at = this.pos;
    const tag = this.varint(end);
    if (tag < 8 || tag > 0xffffffff) throw new WireError(`invalid field number 0 or tag ${tag}`, at);
    if ((tag & 7) === END_GROUP) throw new WireError(`unexpected end-group tag`, at);
    return tag;
  }

  /** A known field arrived with another wire type than the specification's. */
  wrongType(tag: number, field: string, want: number): WireError {
    const got = WIRE_TYPE_NAMES[tag & 7] ?? `invalid (${tag & 7})`;
    return new WireError(`field ${field} (${tag >>> 3}) has wire type ${got}; expected ${WIRE_TYPE_NAMES[want]}`, this.pos);
  }

  private advance(n: number, end: number): void {
    if (this.pos + n > end) throw new WireError('truncated fixed-width field: the message ends inside it', this.pos);
    this.pos += n;
  }

  private skipGroup(field: number, end: number, depth: number): void {
    if (depth > MAX_GROUP_DEPTH) throw new WireError(`groups nested deeper than ${MAX_GROUP_DEPTH}`, this.pos);
    for (;;) {
      const at = this.pos;
      const tag = this.varint(end);
      if ((tag & 7) === END_GROUP) {
        if (tag >>> 3 !== field) throw new WireError(`end-group tag for field ${tag >>> 3} closes group ${field}`, at);
        return;
      }
      if (tag < 8) throw new WireError(`invalid field number 0`, at);
      if ((tag & 7) === START_GROUP) this.skipGroup(tag >>> 3, end, depth + 1);
      else this.skip(tag, end);
    }
  }
}
