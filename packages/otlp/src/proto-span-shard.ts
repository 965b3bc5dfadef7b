import { traceShardOfBytes } from './shard.ts';
import { WireError } from './wire-reader.ts';
import type { WireReader } from './wire-reader.ts';

/**
 * The shard of `count` that owns the `Span` message at `r.pos` ending at `end`, by its first
 * `trace_id`; 0 when that is missing, not 16 bytes, or the bytes before it are malformed (shard 0
 * then decodes the span and rejects it). Leaves `r.pos` where it was.
 */
export function protoSpanShard(r: WireReader, end: number, count: number): number {
  const buf = r.buf;
  const p = r.pos;
  // Canonical encoders write trace_id (field 1, 16 bytes) first.
  if (buf[p] === 0x0a && buf[p + 1] === 16 && p + 18 <= end) return traceShardOfBytes(buf, p + 2, count);
  try {
    while (r.pos < end) {
      const tag = r.tag(end);
      if (tag >>> 3 === 1) {
        if (tag !== 0x0a) return 0;
        const stop = r.lengthEnd(end);
        return stop - r.pos === 16 ? traceShardOfBytes(buf, r.pos, count) : 0;
      }
      r.skip(tag, end);
    }
    return 0;
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    return 0;
  } finally {
    r.pos = p;
  }
}
