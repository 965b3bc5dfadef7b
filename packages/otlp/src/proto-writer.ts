/** Protocol Buffers wire-format writing into one growing buffer; nested messages are length-patched in place. */

const utf8 = new TextEncoder();

export class ProtoWriter {
  private buf = new Uint8Array(512);
  private pos = 0;

  /** The bytes written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** Writes `field` as a nested message whose body `write` produces. */
  message(field: number, write: () => void): void {
    this.tag(field, 2);
    this.ensure(1);
    const start = this.pos;
    this.pos++;
    write();
    const len = this.pos - start - 1;
    const size = varintSize(len);
    if (size > 1) {
      this.ensure(size - 1);
      this.buf.copyWithin(start + size, start + 1, this.pos);
      this.pos += size - 1;
    }
    const end = this.pos;
    this.pos = start;
    this.varint(len);
    this.pos = end;
  }

  string(field: number, value: string): void {
    this.tag(field, 2);
    const max = value.length * 3;
    this.ensure(10 + max);
    // Write the text after room for the longest length prefix, then move it next to the real one.
    const start = this.pos;
    const { written } = utf8.encodeInto(value, this.buf.subarray(start + 5, start + 5 + max));
    this.varint(written);
    this.buf.copyWithin(this.pos, start + 5, start + 5 + written);
    this.pos += written;
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, 2);
    this.varint(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** A varint field (uint32, enum, bool). */
  uint(field: number, value: number): void {
    this.tag(field, 0);
    this.varint(value);
  }

  /** An int64 field, two's complement for negative values. */
  int64(field: number, value: number | bigint): void {
    this.tag(field, 0);
    let v = BigInt.asUintN(64, BigInt(value));
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  fixed64(field: number, value: bigint): void {
    this.tag(field, 1);
    this.ensure(8);
    new DataView(this.buf.buffer).setBigUint64(this.pos, BigInt.asUintN(64, value), true);
    this.pos += 8;
  }

  double(field: number, value: number): void {
    this.tag(field, 1);
    this.ensure(8);
    new DataView(this.buf.buffer).setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** Non-negative integers up to 2^53. */
  private varint(value: number): void {
    this.ensure(10);
    while (value >= 0x80) {
      this.buf[this.pos++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    this.buf[this.pos++] = value;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
}

function varintSize(value: number): number {
  let n = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    n++;
  }
  return n;
}
