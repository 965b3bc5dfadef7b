/** Bytes to strings for the protobuf decoder: hex ids, UTF-8 text, and a cache for repeated short strings. */

const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const HEX_CODES: readonly number[] = Array.from({ length: 16 }, (_, i) => i.toString(16).charCodeAt(0));

/**
 * Lower-case hex of `buf[start, end)`. Span ids (8 bytes) and trace ids (16) are built in one call
 * as flat strings: they become Map keys at once, and a concatenated string would be flattened and
 * copied again on its first hash (measured 2.6× faster per id, bench/pipeline.ts).
 */
export function hexOf(buf: Uint8Array, start: number, end: number): string {
  if (end - start === 8) return hex8(buf, start);
  if (end - start === 16) return hex16(buf, start);
  let s = '';
  for (let i = start; i < end; i++) s += HEX_PAIRS[buf[i]!]!;
  return s;
}

function hex8(b: Uint8Array, p: number): string {
  const h = HEX_CODES;
  return String.fromCharCode(
    h[b[p]! >> 4]!, h[b[p]! & 15]!, h[b[p + 1]! >> 4]!, h[b[p + 1]! & 15]!, h[b[p + 2]! >> 4]!, h[b[p + 2]! & 15]!, h[b[p + 3]! >> 4]!, h[b[p + 3]! & 15]!,
    h[b[p + 4]! >> 4]!, h[b[p + 4]! & 15]!, h[b[p + 5]! >> 4]!, h[b[p + 5]! & 15]!, h[b[p + 6]! >> 4]!, h[b[p + 6]! & 15]!, h[b[p + 7]! >> 4]!, h[b[p + 7]! & 15]!,
  );
}

function hex16(b: Uint8Array, p: number): string {
  const h = HEX_CODES;
  return String.fromCharCode(
    h[b[p]! >> 4]!, h[b[p]! & 15]!, h[b[p + 1]! >> 4]!, h[b[p + 1]! & 15]!, h[b[p + 2]! >> 4]!, h[b[p + 2]! & 15]!, h[b[p + 3]! >> 4]!, h[b[p + 3]! & 15]!,
    h[b[p + 4]! >> 4]!, h[b[p + 4]! & 15]!, h[b[p + 5]! >> 4]!, h[b[p + 5]! & 15]!, h[b[p + 6]! >> 4]!, h[b[p + 6]! & 15]!, h[b[p + 7]! >> 4]!, h[b[p + 7]! & 15]!,
    h[b[p + 8]! >> 4]!, h[b[p + 8]! & 15]!, h[b[p + 9]! >> 4]!, h[b[p + 9]! & 15]!, h[b[p + 10]! >> 4]!, h[b[p + 10]! & 15]!, h[b[p + 11]! >> 4]!, h[b[p + 11]! & 15]!,
    h[b[p + 12]! >> 4]!, h[b[p + 12]! & 15]!, h[b[p + 13]! >> 4]!, h[b[p + 13]! & 15]!, h[b[p + 14]! >> 4]!, h[b[p + 14]! & 15]!, h[b[p + 15]! >> 4]!, h[b[p + 15]! & 15]!,
  );
}

/** True when every byte of `buf[start, end)` is zero. */
export function allZero(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}

const utf8 = new TextDecoder('utf-8');

/** Decodes UTF-8 (malformed sequences become U+FFFD); short ASCII skips the TextDecoder call. */
export function utf8Of(buf: Uint8Array, start: number, end: number): string {
  if (end - start <= 24) {
    let s = '';
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      if (b >= 0x80) return utf8.decode(buf.subarray(start, end));
      s += String.fromCharCode(b);
    }
    return s;
  }
  return utf8.decode(buf.subarray(start, end));
}

/** The longest prefix of `buf[start, end)` of at most `max` bytes that does not split a UTF-8 character. */
export function utf8Cut(buf: Uint8Array, start: number, max: number): number {
  let cut = start + max;
  while (cut > start && (buf[cut]! & 0xc0) === 0x80) cut--;
  return cut;
}

const CACHE_SLOTS = 4096;
const CACHE_MAX_BYTES = 48;

/**
 * A direct-mapped cache of short strings by their bytes. Attribute keys, span names and many values
 * repeat across spans and requests; a hit returns the same string instance (its hash already
 * computed, so Map operations on it are cheaper) without allocating. A miss overwrites the slot,
 * so hostile input cannot grow it.
 */
export class StringCache {
  private readonly bytes: (Uint8Array | undefined)[] = new Array(CACHE_SLOTS).fill(undefined);
  private readonly strings: string[] = new Array(CACHE_SLOTS).fill('');

  get(buf: Uint8Array, start: number, end: number): string {
    const len = end - start;
    if (len > CACHE_MAX_BYTES) return utf8Of(buf, start, end);
    let h = 0x811c9dc5 ^ len;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const slot = (h ^ (h >>> 15)) & (CACHE_SLOTS - 1);
    const known = this.bytes[slot];
    if (known !== undefined && known.length === len) {
      let same = true;
      for (let i = 0; i < len; i++) {
        if (known[i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.strings[slot]!;
    }
    const s = utf8Of(buf, start, end);
    this.bytes[slot] = buf.slice(start, end);
    this.strings[slot] = s;
    return s;
  }
}
