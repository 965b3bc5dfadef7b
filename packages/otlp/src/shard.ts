/**
 * One of `count` slices of a request's spans, by trace id, so that `count` workers can each be handed
 * the same request body and decode only the traces they own (`0 <= index < count`).
 *
 * - A span belongs to shard `traceShard(traceId, count)`: the last 4 bytes of its trace id as a
 *   big-endian uint32, modulo `count`. Trace ids are random, so this spreads evenly, and the
 *   protobuf decoder computes it from the raw bytes without building the hex string.
 * - A span whose trace id is invalid (absent, empty, wrong length, not hex) has no shard: shard 0
 *   decodes and rejects it, the others skip it. An all-zero id lands on shard 0 as well.
 * - Spans of other shards are skipped: not decoded, not accepted, not rejected, and their dropped or
 *   truncated attributes are not counted. The protobuf decoder reads a span's first field, which
 *   canonical encoders make the trace id, or else walks the span's fields to the first `trace_id`,
 *   and skips the span by its length; no string or object is made for it. A span that repeats
 *   `trace_id` (no encoder does) belongs to the shard of the first one, though it decodes with the
 *   last, as protobuf says.
 * - `maxSpansPerRequest` applies to the request as a whole: every shard counts every span's
 *   position, skipped or not, so summed over all shards the accepted spans and the rejections by
 *   reason are those of an unsharded decode. `report.message` and the detailed errors differ.
 * - A resource's own dropped or truncated attributes are counted by the shard of the resource's
 *   first span (by shard 0 for a resource without spans, so the sums still hold); a shard with no
 *   spans of a resource decodes it but counts nothing for it.
 * - Every shard walks the whole envelope (ResourceSpans, resources, ScopeSpans, span lengths), so a
 *   request broken there is broken in every shard: protobuf `ok: false`; in JSON the error (and
 *   `ok: false`) is in every shard, and the spans it rejects count in their own shards. So is a JSON
 *   document that does not parse. A break inside a span's own bytes (or a JSON span's own fields)
 *   is seen only by the span's owner, which rejects the span as `malformed` as an unsharded decode
 *   does; the other shards skip it unread and report nothing.
 *
 * `undefined` or `count === 1` decodes everything, exactly as without sharding.
 */
export interface Shard {
  index: number;
  count: number;
}

const TRACE_ID_HEX = /^[0-9a-fA-F]{32}$/;

/** The shard of `count` that owns the trace with this hex id; 0 for an invalid id (see `Shard`). */
export function traceShard(traceIdHex: string, count: number): number {
  if (!TRACE_ID_HEX.test(traceIdHex)) return 0;
  return Number.parseInt(traceIdHex.slice(24), 16) % count;
}

/** `traceShard` of the 16 trace id bytes at `buf[start, start + 16)`. */
export function traceShardOfBytes(buf: Uint8Array, start: number, count: number): number {
  return (((buf[start + 12]! << 24) | (buf[start + 13]! << 16) | (buf[start + 14]! << 8) | buf[start + 15]!) >>> 0) % count;
}

/**
 * `shard` checked, or `undefined` when it selects every span. A shard outside `0 <= index < count`
 * is a bug in the caller, so it throws.
 */
export function activeShard(shard: Shard | undefined): Shard | undefined {
  if (shard === undefined) return undefined;
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1 || count > 0xffffffff || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`invalid shard ${index} of ${count}: expected integers with 0 <= index < count`);
  }
  return count === 1 ? undefined : shard;
}
