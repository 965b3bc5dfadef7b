import type { AttrValue, Attributes, Span, SpanKind, SpanStatus } from '@betrace/engine';
import type { RejectReason } from './ingest-limits.ts';
import { decodeKeyValue } from './proto-any-value.ts';
import type { ProtoContext } from './proto-context.ts';
import { FIXED64, LEN, VARINT } from './wire-reader.ts';
import { allZero, hexOf, utf8Of } from './wire-text.ts';

// Values past the known ones (a future SpanKind or StatusCode) read as the zero value rather than
// losing the span: protobuf senders may be newer than this receiver.
const KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUSES: readonly SpanStatus[] = ['unset', 'ok', 'error'];

/** Shared by spans with no attributes: engine attribute maps are read-only. */
const NO_ATTRIBUTES: Attributes = new Map<string, AttrValue>();

/** A well-formed span that breaks a rule of the data model; thrown to the scope loop, which counts it. */
export class SpanRejected {
  readonly reason: RejectReason;
  /** The field, in OTLP/JSON spelling, for the error path. */
  readonly field: string;
  readonly message: string;
  constructor(reason: RejectReason, field: string, message: string) {
    this.reason = reason;
    this.field = field;
    this.message = message;
  }
}

/** Spans' known fields by number, with the wire type the specification gives them. */
const SPAN_FIELDS: Record<number, [string, number]> = {
  1: ['trace_id', LEN],
  2: ['span_id', LEN],
  4: ['parent_span_id', LEN],
  5: ['name', LEN],
  6: ['kind', VARINT],
  7: ['start_time_unix_nano', FIXED64],
  8: ['end_time_unix_nano', FIXED64],
  9: ['attributes', LEN],
  15: ['status', LEN],
};

/**
 * Decodes one `Span` message ending at `end` straight into an engine span. Throws `WireError` when
 * the bytes are malformed and `SpanRejected` when the span is invalid; the caller skips to `end`.
 */
export function decodeSpan(c: ProtoContext, end: number, resource: Attributes, service: string): Span {
  const r = c.r;
  const buf = r.buf;
  let traceStart = 0;
  let traceLen = 0;
  let spanStart = 0;
  let spanLen = 0;
  let parentStart = 0;
  let parentLen = 0;
  let name = '';
  let kind = 0;
  let startLo = 0;
  let startHi = 0;
  let endLo = 0;
  let endHi = 0;
  let attributes: Map<string, AttrValue> | undefined;
  let ordinal = 0;
  let status = 0;
  let statusMessage = '';
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case 0x0a: {
        const stop = r.lengthEnd(end);
        traceStart = r.pos;
        traceLen = stop - r.pos;
        r.pos = stop;
        break;
      }
      case 0x12: {
        const stop = r.lengthEnd(end);
        spanStart = r.pos;
        spanLen = stop - r.pos;
        r.pos = stop;
        break;
      }
      case 0x22: {
        const stop = r.lengthEnd(end);
        parentStart = r.pos;
        parentLen = stop - r.pos;
        r.pos = stop;
        break;
      }
      case 0x2a: {
        const stop = r.lengthEnd(end);
        name = c.strings.get(buf, r.pos, stop);
        r.pos = stop;
        break;
      }
      case 0x30:
        kind = r.varint(end);
        break;
      case 0x39:
        startLo = r.uint32(end);
        startHi = r.uint32(end);
        break;
      case 0x41:
        endLo = r.uint32(end);
        endHi = r.uint32(end);
        break;
      case 0x4a: {
        const stop = r.lengthEnd(end);
        const filter = c.filter;
        // Fast path for the usual layout (key first, length < 128): an unread key skips the
        // whole KeyValue without reading its tags.
        const kl = buf[r.pos + 1]!;
        if (filter !== undefined && buf[r.pos] === 0x0a && kl < 0x80 && r.pos + 2 + kl <= stop && ordinal < c.maxAttributes
          && filter.match(buf, r.pos + 2, r.pos + 2 + kl) === undefined) {
          ordinal++;
          r.pos = stop;
          break;
        }
        attributes = decodeKeyValue(c, stop, attributes, filter, ordinal++);
        r.pos = stop;
        break;
      }
      case 0x7a: {
        const stop = r.lengthEnd(end);
        while (r.pos < stop) {
          const t = r.tag(stop);
          if (t === 0x12) {
            const s = r.lengthEnd(stop);
            statusMessage = utf8Of(buf, r.pos, s);
            r.pos = s;
          } else if (t === 0x18) status = r.varint(stop);
          else if (t >>> 3 === 2 || t >>> 3 === 3) throw r.wrongType(t, t >>> 3 === 2 ? 'status.message' : 'status.code', t >>> 3 === 2 ? LEN : VARINT);
          else r.skip(t, stop);
        }
        break;
      }
      default: {
        const known = SPAN_FIELDS[tag >>> 3];
        if (known !== undefined) throw r.wrongType(tag, known[0], known[1]);
        r.skip(tag, end);
      }
    }
  }
  if (traceLen !== 16 || allZero(buf, traceStart, traceStart + 16)) {
    throw new SpanRejected('invalid_trace_id', 'traceId', idProblem('trace', traceLen, 16));
  }
  if (spanLen !== 8 || allZero(buf, spanStart, spanStart + 8)) {
    throw new SpanRejected('invalid_span_id', 'spanId', idProblem('span', spanLen, 8));
  }
  let parentSpanId: string | undefined;
  // An empty or all-zero parent id means a root span, as in the JSON decoder.
  if (parentLen === 8) {
    if (!allZero(buf, parentStart, parentStart + 8)) parentSpanId = hexOf(buf, parentStart, parentStart + 8);
  } else if (parentLen !== 0) {
    throw new SpanRejected('invalid_span_id', 'parentSpanId', `expected an empty parent span id or 8 bytes, found ${parentLen} bytes`);
  }
  if (endHi < startHi || (endHi === startHi && endLo < startLo)) {
    const s = (BigInt(startHi) << 32n) | BigInt(startLo);
    const e = (BigInt(endHi) << 32n) | BigInt(endLo);
    throw new SpanRejected('invalid_time', 'endTimeUnixNano', `the span ends (${e}) before it starts (${s}); expected end_time_unix_nano >= start_time_unix_nano`);
  }
  return {
    traceId: traceIdOf(c, buf, traceStart),
    spanId: hexOf(buf, spanStart, spanStart + 8),
    parentSpanId,
    name,
    kind: KINDS[kind] ?? 'unspecified',
    status: STATUSES[status] ?? 'unset',
    statusMessage,
    start: startHi * 4294967296 + startLo,
    end: endHi * 4294967296 + endLo,
    // Exact while the duration is below 2^53 ns (104 days): both parts are exact integers.
    duration: (endHi - startHi) * 4294967296 + (endLo - startLo),
    service,
    attributes: attributes === undefined || attributes.size === 0 ? NO_ATTRIBUTES : attributes,
    resource,
  };
}

const TRACE_ID_SLOTS = 1024;

/**
 * The hex trace id at `buf[start, start + 16)`, from the cache when a span of the same trace was
 * decoded recently: the assembler then looks up one string whose hash is already computed.
 */
function traceIdOf(c: ProtoContext, buf: Uint8Array, start: number): string {
  const cache = c.traceIds;
  const slot = ((buf[start + 15]! << 2) ^ buf[start + 14]! ^ (buf[start + 13]! << 1)) & (TRACE_ID_SLOTS - 1);
  const at = slot * 16;
  const known = cache.bytes;
  let i = 0;
  while (i < 16 && known[at + i] === buf[start + i]) i++;
  if (i === 16) return cache.ids[slot]!;
  const id = hexOf(buf, start, start + 16);
  known.set(buf.subarray(start, start + 16), at);
  cache.ids[slot] = id;
  return id;
}

/** An empty trace id cache for `ProtoContext.traceIds`. */
export function traceIdCache(): { bytes: Uint8Array; ids: string[] } {
  // all-zero bytes never match: an all-zero trace id is rejected before it is looked up
  return { bytes: new Uint8Array(TRACE_ID_SLOTS * 16), ids: new Array<string>(TRACE_ID_SLOTS).fill('') };
}

function idProblem(what: string, length: number, want: number): string {
  if (length === 0) return `the span has no ${what} id; expected ${want} bytes`;
  if (length !== want) return `expected a ${want}-byte ${what} id, found ${length} bytes`;
  return `an all-zero ${what} id is invalid; expected ${want} bytes, not all zero`;
}
