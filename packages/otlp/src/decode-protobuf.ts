import type { AttrValue, Span } from '@betrace/engine';
import type { DecodeError } from './decode-error.ts';
import { SpanRejected, decodeSpan, traceIdCache } from './decode-proto-span.ts';
import type { FieldFilter } from './field-filter.ts';
import { IngestCounter } from './ingest-counter.ts';
import type { IngestLimits, IngestReport } from './ingest-limits.ts';
import { DEFAULT_INGEST_LIMITS } from './ingest-limits.ts';
import { decodeKeyValue } from './proto-any-value.ts';
import type { ProtoContext } from './proto-context.ts';
import { protoSpanShard } from './proto-span-shard.ts';
import type { Shard } from './shard.ts';
import { activeShard } from './shard.ts';
import { LEN, WireError, WireReader } from './wire-reader.ts';
import { StringCache } from './wire-text.ts';

/**
 * The outcome of decoding one protobuf `ExportTraceServiceRequest`. `ok: false` when the request
 * itself is not valid protobuf (answer 400: nothing was accepted); otherwise the accepted spans,
 * what was rejected or altered (answer with a partial success when `report.message` is set), and
 * details of the first few rejected spans.
 */
export type ProtobufDecodeResult =
  | { ok: true; spans: Span[]; report: IngestReport; errors: DecodeError[] }
  | { ok: false; errors: DecodeError[] };

// Keys, names and short values repeat across requests: one cache for the process.
const strings = new StringCache();
const traceIds = traceIdCache();

/**
 * Decodes OTLP/protobuf trace export bytes (`ExportTraceServiceRequest`, or `TracesData`, which has
 * the same wire shape) straight into engine spans in request order, applying `limits`. Never throws.
 * A span whose own bytes are malformed or whose ids or times are invalid is rejected and counted;
 * malformed bytes outside span bodies make the whole request invalid. With `filter`, span attributes
 * no rule reads are skipped unread (a malformed value inside one goes unnoticed). With `shard`, only
 * the spans of that shard's traces are decoded and counted; the others are skipped by their length.
 */
export function decodeProtobufTraces(bytes: Uint8Array, limits: IngestLimits = DEFAULT_INGEST_LIMITS, filter?: FieldFilter, shard?: Shard): ProtobufDecodeResult {
  const c: ProtoContext = {
    filter,
    traceIds,
    r: new WireReader(bytes),
    counter: new IngestCounter(limits),
    strings,
    maxAttributes: limits.maxAttributesPerSpan,
    maxValueBytes: limits.maxAttributeValueBytes,
    out: [],
    where: '',
    shard: activeShard(shard),
    firstOwner: -1,
  };
  const r = c.r;
  const end = bytes.length;
  try {
    let i = 0;
    while (r.pos < end) {
      const tag = r.tag(end);
      if (tag === 0x0a) {
        const stop = r.lengthEnd(end);
        decodeResourceSpans(c, stop, `resourceSpans[${i++}]`);
        r.pos = stop;
      } else if (tag >>> 3 === 1) {
        throw r.wrongType(tag, 'resource_spans', LEN);
      } else {
        r.skip(tag, end);
      }
    }
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    const message = `not a valid ExportTraceServiceRequest: ${e.message} (byte ${e.offset} of ${end})`;
    return { ok: false, errors: [{ path: c.where, message }] };
  }
  return { ok: true, spans: c.out, report: c.counter.report(), errors: c.counter.errors };
}

function decodeResourceSpans(c: ProtoContext, end: number, path: string): void {
  const r = c.r;
  const start = r.pos;
  const counter = c.counter;
  const dropped = counter.droppedAttributes;
  const truncated = counter.truncatedValues;
  // The resource usually comes first, but protobuf allows any order: read it before any span so
  // every span of this ResourceSpans can share one map.
  const resource = new Map<string, AttrValue>();
  c.where = `${path}.resource`;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) {
      const stop = r.lengthEnd(end);
      decodeResource(c, stop, resource);
      r.pos = stop;
    } else if (tag >>> 3 === 1) {
      throw r.wrongType(tag, 'resource', LEN);
    } else {
      r.skip(tag, end);
    }
  }
  const name = resource.get('service.name');
  const service = typeof name === 'string' ? name : '';
  // With a shard, the resource's own counts wait for its first span: that span's shard counts them.
  const shard = c.shard;
  let resourceDropped = 0;
  let resourceTruncated = 0;
  if (shard !== undefined) {
    resourceDropped = counter.droppedAttributes - dropped;
    resourceTruncated = counter.truncatedValues - truncated;
    counter.droppedAttributes = dropped;
    counter.truncatedValues = truncated;
    c.firstOwner = -1;
  }
  r.pos = start;
  let j = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    // 1000 is the pre-1.0 `instrumentation_library_spans`, the same shape as ScopeSpans; old
    // exporters still send it, and the JSON decoder reads it too.
    if (tag === 0x12 || tag === 0x1f42) {
      const stop = r.lengthEnd(end);
      const ssPath = `${path}.${tag === 0x12 ? 'scopeSpans' : 'instrumentationLibrarySpans'}[${j++}]`;
      c.where = ssPath;
      if (shard === undefined) decodeScopeSpans(c, stop, resource, service, ssPath);
      else decodeShardScopeSpans(c, stop, resource, service, ssPath, shard);
      r.pos = stop;
    } else if (tag >>> 3 === 2 || tag >>> 3 === 1000) {
      throw r.wrongType(tag, 'scope_spans', LEN);
    } else {
      r.skip(tag, end);
    }
  }
  if (shard !== undefined && Math.max(c.firstOwner, 0) === shard.index) {
    counter.droppedAttributes += resourceDropped;
    counter.truncatedValues += resourceTruncated;
  }
  c.where = path;
}

function decodeResource(c: ProtoContext, end: number, resource: Map<string, AttrValue>): void {
  const r = c.r;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) {
      const stop = r.lengthEnd(end);
      decodeKeyValue(c, stop, resource);
      r.pos = stop;
    } else if (tag >>> 3 === 1) {
      throw r.wrongType(tag, 'attributes', LEN);
    } else {
      r.skip(tag, end);
    }
  }
}

function decodeScopeSpans(c: ProtoContext, end: number, resource: Map<string, AttrValue>, service: string, path: string): void {
  const r = c.r;
  let k = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x12) {
      const stop = r.lengthEnd(end);
      const index = k++;
      if (!c.counter.overSpanLimit()) {
        try {
          c.out.push(decodeSpan(c, stop, resource, service));
          c.counter.accepted++;
        } catch (e) {
          rejectSpan(c, e, `${path}.spans[${index}]`);
        }
      }
      r.pos = stop;
    } else if (tag >>> 3 === 2) {
      throw r.wrongType(tag, 'spans', LEN);
    } else {
      r.skip(tag, end);
    }
  }
}

/**
 * `decodeScopeSpans` for one shard: a span of another shard is skipped by its length, unread, after
 * a look at its trace id; it still takes its place under the span limit.
 */
function decodeShardScopeSpans(c: ProtoContext, end: number, resource: Map<string, AttrValue>, service: string, path: string, shard: Shard): void {
  const r = c.r;
  const counter = c.counter;
  let k = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x12) {
      const stop = r.lengthEnd(end);
      const index = k++;
      const owner = protoSpanShard(r, stop, shard.count);
      if (c.firstOwner < 0) c.firstOwner = owner;
      if (owner !== shard.index) {
        counter.skipSpan();
      } else if (!counter.overSpanLimit()) {
        try {
          c.out.push(decodeSpan(c, stop, resource, service));
          counter.accepted++;
        } catch (e) {
          rejectSpan(c, e, `${path}.spans[${index}]`);
        }
      }
      r.pos = stop;
    } else if (tag >>> 3 === 2) {
      throw r.wrongType(tag, 'spans', LEN);
    } else {
      r.skip(tag, end);
    }
  }
}

function rejectSpan(c: ProtoContext, e: unknown, path: string): void {
  if (e instanceof SpanRejected) {
    c.counter.reject(e.reason, { path: `${path}.${e.field}`, message: e.message });
  } else if (e instanceof WireError) {
    c.counter.reject('malformed', { path, message: `malformed span: ${e.message} (byte ${e.offset})` });
  } else {
    throw e;
  }
}
