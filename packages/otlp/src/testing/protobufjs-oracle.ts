// Test and benchmark support: protobufjs loading our own .proto files, as an independent encoder and
// decoder to check the hand-written one against. Not part of the package's runtime API.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import type { AttrValue, Span, SpanKind, SpanStatus } from '@betrace/engine';

const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url));

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
  root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto', { keepCase: false });
  root.resolveAll();
  return root;
}

const root = loadRoot();

/** protobufjs message types for the OTLP trace messages. */
export const RequestType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
export const ResponseType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');

/** Encodes a plain ExportTraceServiceRequest object (protobufjs `fromObject` shape) to bytes. */
export function protobufjsEncode(request: object): Uint8Array {
  return RequestType.encode(RequestType.fromObject(request)).finish();
}

const KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUSES: readonly SpanStatus[] = ['unset', 'ok', 'error'];

/** The protobufjs `fromObject` shape of a request holding engine spans, one ResourceSpans per resource map. */
export function requestObjectFromSpans(spans: readonly Span[]): object {
  const byResource = new Map<Span['resource'], Span[]>();
  for (const s of spans) {
    const list = byResource.get(s.resource);
    if (list) list.push(s);
    else byResource.set(s.resource, [s]);
  }
  return {
    resourceSpans: [...byResource].map(([resource, list]) => ({
      resource: { attributes: keyValues(resource) },
      scopeSpans: [
        {
          scope: { name: 'bench', version: '1.0.0' },
          spans: list.map((s) => ({
            traceId: Buffer.from(s.traceId, 'hex'),
            spanId: Buffer.from(s.spanId, 'hex'),
            parentSpanId: s.parentSpanId === undefined ? undefined : Buffer.from(s.parentSpanId, 'hex'),
            name: s.name,
            kind: KINDS.indexOf(s.kind),
            startTimeUnixNano: BigInt(s.start).toString(),
            endTimeUnixNano: (BigInt(s.start) + BigInt(Math.round(s.duration))).toString(),
            attributes: keyValues(s.attributes),
            status: { code: STATUSES.indexOf(s.status), message: s.statusMessage },
          })),
        },
      ],
    })),
  };
}

function keyValues(map: ReadonlyMap<string, AttrValue>): object[] {
  return [...map].map(([key, value]) => ({ key, value: anyValue(value) }));
}

function anyValue(value: AttrValue): object {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  if (value instanceof Uint8Array) return { bytesValue: value };
  return { arrayValue: { values: value.map(anyValue) } };
}

/** A 64-bit integer as protobufjs hands it out: a number, or a Long-like pair of 32-bit halves. */
type Int64 = number | { low: number; high: number; unsigned?: boolean };

function uint64(v: Int64 | null | undefined): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  return (v.high >>> 0) * 4294967296 + (v.low >>> 0);
}

/** end - start without BigInt: exact below 2^53 because both halves subtract exactly. */
function duration(start: Int64, end: Int64): number {
  if (typeof start === 'number' || typeof end === 'number') return uint64(end) - uint64(start);
  return ((end.high >>> 0) - (start.high >>> 0)) * 4294967296 + ((end.low >>> 0) - (start.low >>> 0));
}

function int64(v: Int64 | null | undefined): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  return (v.high | 0) * 4294967296 + (v.low >>> 0);
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX[b]!;
  return s;
}

interface PbAnyValue {
  value?: string;
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Int64;
  doubleValue?: number;
  bytesValue?: Uint8Array;
  arrayValue?: { values: PbAnyValue[] };
  kvlistValue?: { values: PbKeyValue[] };
}
interface PbKeyValue {
  key: string;
  value?: PbAnyValue | null;
}

function pbAttr(v: PbAnyValue): AttrValue | undefined {
  switch (v.value) {
    case 'stringValue':
      return v.stringValue!;
    case 'boolValue':
      return v.boolValue!;
    case 'intValue':
      return int64(v.intValue);
    case 'doubleValue':
      return v.doubleValue!;
    case 'bytesValue':
      return new Uint8Array(v.bytesValue!);
    case 'arrayValue':
      return v.arrayValue!.values.map(pbAttr).filter((x): x is AttrValue => x !== undefined);
    case 'kvlistValue':
      return JSON.stringify(pbPlain(v));
    default:
      return undefined;
  }
}

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };
function pbPlain(v: PbAnyValue | null | undefined): Plain {
  if (!v) return null;
  if (v.value === 'kvlistValue') {
    const out: { [key: string]: Plain } = Object.create(null) as { [key: string]: Plain };
    for (const kv of v.kvlistValue!.values) out[kv.key] = pbPlain(kv.value);
    return out;
  }
  if (v.value === 'arrayValue') return v.arrayValue!.values.map(pbPlain);
  const a = pbAttr(v);
  if (a === undefined) return null;
  if (a instanceof Uint8Array) return Buffer.from(a).toString('base64');
  if (typeof a === 'number' && !Number.isFinite(a)) return String(a);
  return a as Plain;
}

function pbAttributes(list: PbKeyValue[]): Map<string, AttrValue> {
  const out = new Map<string, AttrValue>();
  for (const kv of list) {
    const v = kv.value ? pbAttr(kv.value) : undefined;
    if (v === undefined) out.delete(kv.key);
    else out.set(kv.key, v);
  }
  return out;
}

/** protobufjs decode and conversion to engine spans: the baseline the hand-written decoder must match. */
export function protobufjsDecodeToSpans(bytes: Uint8Array): Span[] {
  return requestToSpans(RequestType.decode(bytes));
}

/** Engine spans from an already-decoded protobufjs request message (no validation or limits). */
export function requestToSpans(message: unknown): Span[] {
  const out: Span[] = [];
  const request = message as { resourceSpans: { resource?: { attributes: PbKeyValue[] }; scopeSpans: { spans: unknown[] }[] }[] };
  for (const rs of request.resourceSpans) {
    const resource = pbAttributes(rs.resource?.attributes ?? []);
    const name = resource.get('service.name');
    const service = typeof name === 'string' ? name : '';
    for (const ss of rs.scopeSpans) {
      for (const raw of ss.spans) {
        const s = raw as {
          traceId: Uint8Array; spanId: Uint8Array; parentSpanId: Uint8Array; name: string; kind: number;
          startTimeUnixNano: Int64; endTimeUnixNano: Int64; attributes: PbKeyValue[];
          status?: { code: number; message: string } | null;
        };
        const start = uint64(s.startTimeUnixNano);
        const end = uint64(s.endTimeUnixNano);
        const parent = s.parentSpanId && s.parentSpanId.length > 0 && s.parentSpanId.some((b) => b !== 0) ? hex(s.parentSpanId) : undefined;
        out.push({
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          parentSpanId: parent,
          name: s.name,
          kind: KINDS[s.kind] ?? 'unspecified',
          status: STATUSES[s.status?.code ?? 0] ?? 'unset',
          statusMessage: s.status?.message ?? '',
          start,
          end,
          duration: duration(s.startTimeUnixNano, s.endTimeUnixNano),
          service,
          attributes: pbAttributes(s.attributes),
          resource,
        });
      }
    }
  }
  return out;
}
