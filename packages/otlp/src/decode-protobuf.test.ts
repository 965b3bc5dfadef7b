import type { Span } from '@betrace/engine';
import { describe, expect, it } from 'vitest';
import { NO_INGEST_LIMITS, decodeProtobufTraces } from './index.ts';
import type { ProtobufDecodeResult } from './index.ts';
import { protobufjsDecodeToSpans, protobufjsEncode } from './testing/index.ts';
import { prng } from './testing/random.ts';
import { randomRequest } from './testing/random-request.ts';
import { SPAN_ID, TRACE_ID, msg, oneSpan } from './testing/wire-bytes.ts';

function accepted(result: ProtobufDecodeResult): Span[] {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
  return result.spans;
}

describe('decodeProtobufTraces against protobufjs', () => {
  it('decodes 500 random requests (every AnyValue type, events, links, flags) exactly as protobufjs does', () => {
    const rand = prng(7);
    let spans = 0;
    for (let i = 0; i < 500; i++) {
      const bytes = protobufjsEncode(randomRequest(rand));
      const want = protobufjsDecodeToSpans(bytes);
      const got = accepted(decodeProtobufTraces(bytes, NO_INGEST_LIMITS));
      expect(got).toEqual(want);
      spans += got.length;
    }
    expect(spans).toBeGreaterThan(1000);
  });

  it('shares one resource map per ResourceSpans and takes the service from service.name', () => {
    const bytes = protobufjsEncode(randomRequest(prng(3)));
    const spans = accepted(decodeProtobufTraces(bytes));
    const byService = new Map<string, Set<unknown>>();
    for (const s of spans) byService.set(s.service, (byService.get(s.service) ?? new Set()).add(s.resource));
    for (const [service, maps] of byService) if (service !== '') expect(maps.size).toBe(1);
  });
});

describe('decodeProtobufTraces: hand-built spans', () => {
  it('reads ids as lower-case hex, times exactly, kind, status and service', () => {
    const [s] = accepted(decodeProtobufTraces(oneSpan({ kind: 2, status: { code: 2, message: 'card declined' }, parentSpanId: Buffer.from('00f067aa0ba902b7', 'hex') })));
    expect(s).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: '00f067aa0ba902b7',
      kind: 'server',
      status: 'error',
      statusMessage: 'card declined',
      start: 1544712660000000000,
      duration: 1_000_000_001,
      service: 'api',
    });
  });

  it('treats an empty or all-zero parent id as a root', () => {
    expect(accepted(decodeProtobufTraces(oneSpan({})))[0]?.parentSpanId).toBeUndefined();
    expect(accepted(decodeProtobufTraces(oneSpan({ parentSpanId: Buffer.alloc(8) })))[0]?.parentSpanId).toBeUndefined();
  });

  it('reads a future SpanKind or StatusCode as the zero value instead of losing the span', () => {
    const [s] = accepted(decodeProtobufTraces(oneSpan({ kind: 9, status: { code: 7 } })));
    expect([s?.kind, s?.status]).toEqual(['unspecified', 'unset']);
  });

  it('keeps int64 attribute values beyond 2^53 as the nearest number', () => {
    const [s] = accepted(decodeProtobufTraces(oneSpan({ attributes: [
      { key: 'big', value: { intValue: '9007199254740993' } },
      { key: 'min', value: { intValue: '-9223372036854775808' } },
      { key: 'neg', value: { intValue: '-5' } },
    ] })));
    expect(Object.fromEntries(s?.attributes ?? [])).toEqual({ big: 9007199254740992, min: -9223372036854775808, neg: -5 });
  });

  it('turns a key-value list into JSON text (bytes as base64, nested lists as objects)', () => {
    const value = { kvlistValue: { values: [
      { key: 'id', value: { stringValue: 'abc' } },
      { key: 'raw', value: { bytesValue: Buffer.from([1, 2, 3]) } },
      { key: 'inner', value: { kvlistValue: { values: [{ key: 'n', value: { intValue: 1 } }, { key: '__proto__', value: { boolValue: true } }] } } },
      { key: 'list', value: { arrayValue: { values: [{ doubleValue: Infinity }, {}] } } },
    ] } };
    const [s] = accepted(decodeProtobufTraces(oneSpan({ attributes: [{ key: 'header', value }] })));
    expect(s?.attributes.get('header')).toBe('{"id":"abc","raw":"AQID","inner":{"n":1,"__proto__":true},"list":["Infinity",null]}');
  });

  it('reads the resource even when it comes after the spans on the wire', () => {
    // ResourceSpans with field 2 (scope_spans) first, then field 1 (resource).
    const span = Buffer.concat([msg(1, Buffer.from(TRACE_ID, 'hex')), msg(2, Buffer.from(SPAN_ID, 'hex')), msg(5, Buffer.from('GET /'))]);
    const resource = msg(1, msg(1, Buffer.concat([msg(1, Buffer.from('service.name')), msg(2, msg(1, Buffer.from('late')))])));
    const bytes = msg(1, Buffer.concat([msg(2, msg(2, span)), resource]));
    const [s] = accepted(decodeProtobufTraces(bytes));
    expect([s?.service, s?.name, s?.resource.get('service.name')]).toEqual(['late', 'GET /', 'late']);
  });

  it('skips unknown fields of every wire type, at every level', () => {
    const unknown = Buffer.from([
      0xf8, 0x07, 0x2a, // field 127 varint 42
      0xf9, 0x07, 1, 2, 3, 4, 5, 6, 7, 8, // field 127 fixed64
      0xfa, 0x07, 0x03, 0x61, 0x62, 0x63, // field 127 length-delimited "abc"
      0xfb, 0x07, 0x08, 0x01, 0xfc, 0x07, // field 127 group holding field 1 = 1
      0xfd, 0x07, 1, 2, 3, 4, // field 127 fixed32
    ]);
    const plain = oneSpan({ attributes: [{ key: 'k', value: { stringValue: 'v' } }] });
    const want = accepted(decodeProtobufTraces(plain));
    // Append the unknown fields to the request, then to the innermost span by rebuilding lengths.
    const withTopLevel = Buffer.concat([plain, unknown]);
    expect(accepted(decodeProtobufTraces(withTopLevel))).toEqual(want);
    const nested = nestUnknown(unknown);
    expect(accepted(decodeProtobufTraces(nested))).toEqual(want);
  });
});

/** The oneSpan request with `unknown` appended inside each message level: request, ResourceSpans, Resource, KeyValue, AnyValue, ScopeSpans, Span, Status. */
function nestUnknown(unknown: Buffer): Buffer {
  const str = (f: number, s: string) => msg(f, Buffer.from(s));
  const anyValue = (s: string) => Buffer.concat([str(1, s), unknown]);
  const kv = (k: string, v: string) => Buffer.concat([str(1, k), msg(2, anyValue(v)), unknown]);
  const resource = Buffer.concat([msg(1, kv('service.name', 'api')), unknown]);
  const fixed64 = (f: number, v: bigint) => {
    const b = Buffer.alloc(9);
    b[0] = (f << 3) | 1;
    b.writeBigUInt64LE(v, 1);
    return b;
  };
  const span = Buffer.concat([
    msg(1, Buffer.from(TRACE_ID, 'hex')),
    unknown,
    msg(2, Buffer.from(SPAN_ID, 'hex')),
    str(5, 'GET /'),
    fixed64(7, 1544712660000000000n),
    fixed64(8, 1544712661000000001n),
    msg(9, kv('k', 'v')),
    msg(15, unknown),
    unknown,
  ]);
  const scopeSpans = Buffer.concat([unknown, msg(2, span), unknown]);
  const rs = Buffer.concat([msg(1, resource), unknown, msg(2, scopeSpans)]);
  return Buffer.concat([unknown, msg(1, rs), unknown]);
}

