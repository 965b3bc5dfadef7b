import type { AttrValue } from '@betrace/engine';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `text` cut to at most `maxBytes` of UTF-8 without splitting a character; the same string when it fits. */
export function truncateUtf8(text: string, maxBytes: number): string {
  // Each UTF-16 unit is at most 3 UTF-8 bytes, so short strings need no measuring.
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes) return text;
  const bytes = encoder.encode(text);
  let cut = maxBytes;
  while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
  return decoder.decode(bytes.subarray(0, cut));
}

/** An attribute value within `maxBytes` per string or bytes value (array items each); `onCut` counts cuts. */
export function limitValue(value: AttrValue, maxBytes: number, onCut: () => void): AttrValue {
  if (typeof value === 'string') {
    const cut = truncateUtf8(value, maxBytes);
    if (cut !== value) onCut();
    return cut;
  }
  if (value instanceof Uint8Array) {
    if (value.length <= maxBytes) return value;
    onCut();
    return value.slice(0, maxBytes);
  }
  if (Array.isArray(value)) return value.map((v: AttrValue) => limitValue(v, maxBytes, onCut));
  return value;
}
