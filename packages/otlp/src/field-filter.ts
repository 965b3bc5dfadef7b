/**
 * The span attribute keys the decoder keeps: those some enabled rule reads. Every other span
 * attribute is skipped on the wire, unread and unallocated. Resource attributes, ids, parent, times,
 * name, kind and status are always kept: every span counts for trace fields and ancestry.
 */
export class FieldFilter {
  /** The kept keys. */
  readonly keys: ReadonlySet<string>;
  // kept keys by UTF-8 length, so most skipped keys cost one array read
  private readonly byLength: Array<Array<{ bytes: Uint8Array; key: string }> | undefined> = [];

  constructor(keys: Iterable<string>) {
    this.keys = new Set(keys);
    const utf8 = new TextEncoder();
    for (const key of this.keys) {
      const bytes = utf8.encode(key);
      (this.byLength[bytes.length] ??= []).push({ bytes, key });
    }
  }

  /** The kept key spelled by `buf[start, end)`, or `undefined` when no rule reads it. */
  match(buf: Uint8Array, start: number, end: number): string | undefined {
    const candidates = this.byLength[end - start];
    if (candidates === undefined) return undefined;
    for (const c of candidates) {
      const b = c.bytes;
      let i = 0;
      while (i < b.length && b[i] === buf[start + i]) i++;
      if (i === b.length) return c.key;
    }
    return undefined;
  }
}
