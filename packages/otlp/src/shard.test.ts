import { describe, expect, it } from 'vitest';
import { decodeJsonTraces, decodeProtobufTraces, traceShard } from './index.ts';
import type { IngestLimits, ProtobufDecodeResult, Shard } from './index.ts';
import { protobufjsEncode } from './testing/index.ts';
import { prng } from './testing/random.ts';
import { randomId } from './testing/random-request.ts';
import { SPAN_ID, msg } from './testing/wire-bytes.ts';

/** A trace id whose last 4 bytes are `n`: on shard `n % count`. */
const traceId = (n: number) => `5b8efff798038103d269b633${n.toString(16).padStart(8, '0')}`;

const limits = (l: Partial<IngestLimits>): IngestLimits => ({ maxSpansPerRequest: 100, maxAttributesPerSpan: 100, maxAttributeValueBytes: 1000, ...l });

function ok(result: ProtobufDecodeResult) {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
  return result;
}

/** Canonical span bytes: trace_id, span_id, name. */
const spanBytes = (trace: string, name: string, traceField = msg(1, Buffer.from(trace, 'hex'))) =>
  Buffer.concat([traceField, msg(2, Buffer.from(SPAN_ID, 'hex')), msg(5, Buffer.from(name))]);

/** One ResourceSpans with one ScopeSpans holding these span bodies. */
const requestOf = (...spans: Uint8Array[]) => msg(1, msg(2, Buffer.concat(spans.map((s) => msg(2, s)))));

const names = (r: ProtobufDecodeResult) => ok(r).spans.map((s) => s.name);

describe('traceShard', () => {
  const rows: { name: string; id: string; count: number; want: number }[] = [
    { name: 'last 8 hex digits modulo count', id: traceId(7), count: 4, want: 3 },
    { name: 'the whole uint32 range', id: `${'1'.repeat(24)}ffffffff`, count: 10, want: 4294967295 % 10 },
    { name: 'upper-case hex as lower-case', id: `${'A'.repeat(24)}0000000B`, count: 8, want: 3 },
    { name: 'one shard', id: traceId(5), count: 1, want: 0 },
    { name: 'all-zero id', id: '0'.repeat(32), count: 3, want: 0 },
    { name: 'empty id', id: '', count: 3, want: 0 },
    { name: '31 digits', id: traceId(5).slice(1), count: 3, want: 0 },
    { name: 'not hex', id: `${'z'.repeat(24)}00000005`, count: 3, want: 0 },
  ];
  it.each(rows)('$name', ({ id, count, want }) => {
    expect(traceShard(id, count)).toBe(want);
  });

  it('names the shard the protobuf decoder puts each span in, for 1–7 shards', () => {
    const rand = prng(5);
    const ids = Array.from({ length: 200 }, () => randomId(rand, 16).toString('hex'));
    const bytes = requestOf(...ids.map((id, i) => spanBytes(id, `s${i}`)));
    for (let count = 1; count <= 7; count++) {
      for (let index = 0; index < count; index++) {
        const spans = ok(decodeProtobufTraces(bytes, undefined, undefined, { index, count })).spans;
        expect(spans.map((s) => s.traceId)).toEqual(ids.filter((id) => traceShard(id, count) === index));
      }
    }
  });
});

describe('decoding one shard of a protobuf request', () => {
  const two = (index: number): Shard => ({ index, count: 2 });
  const halves = (bytes: Uint8Array, l?: IngestLimits) => {
    const half = (index: number) => ok(decodeProtobufTraces(bytes, l, undefined, two(index)));
    return [half(0), half(1)] as const;
  };

  it('finds a trace_id that is not the first field', () => {
    const group = Buffer.from([0xfb, 0x07, 0x08, 0x01, 0xfc, 0x07]); // an unknown group before it
    const late = Buffer.concat([msg(2, Buffer.from(SPAN_ID, 'hex')), group, msg(5, Buffer.from('late')), msg(1, Buffer.from(traceId(1), 'hex'))]);
    const bytes = requestOf(spanBytes(traceId(2), 'first'), late);
    expect(names(decodeProtobufTraces(bytes, undefined, undefined, two(0)))).toEqual(['first']);
    expect(names(decodeProtobufTraces(bytes, undefined, undefined, two(1)))).toEqual(['late']);
  });

  it('leaves a span without a valid trace id to shard 0, which rejects it', () => {
    const bytes = requestOf(spanBytes('', 'empty'), spanBytes('0'.repeat(32), 'zero'), spanBytes('ab'.repeat(15), 'short'), spanBytes(traceId(1), 'good'));
    const [s0, s1] = halves(bytes);
    expect(s0.report).toMatchObject({ acceptedSpans: 0, rejected: { invalid_trace_id: 3 } });
    expect(s1.report).toMatchObject({ acceptedSpans: 1, rejectedSpans: 0 });
  });

  it('rejects a span broken inside its body in its owner alone', () => {
    const broken = Buffer.concat([spanBytes(traceId(1), 'broken'), Buffer.from([0x4a, 0x7f])]);
    const bytes = requestOf(spanBytes(traceId(0), 'a'), broken);
    expect(ok(decodeProtobufTraces(bytes, undefined, undefined, two(0))).report).toMatchObject({ acceptedSpans: 1, rejectedSpans: 0, message: '' });
    expect(ok(decodeProtobufTraces(bytes, undefined, undefined, two(1))).report).toMatchObject({ acceptedSpans: 0, rejected: { malformed: 1 } });
  });

  it('applies maxSpansPerRequest to the request: every shard counts the spans it skips', () => {
    const bytes = requestOf(...[0, 1, 2, 3, 4, 5].map((n) => spanBytes(traceId(n), `s${n}`)));
    const [s0, s1] = halves(bytes, limits({ maxSpansPerRequest: 3 }));
    expect([s0.spans.map((s) => s.name), s0.report.rejected.too_many_spans]).toEqual([['s0', 's2'], 1]); // s4
    expect([s1.spans.map((s) => s.name), s1.report.rejected.too_many_spans]).toEqual([['s1'], 2]); // s3, s5
  });

  it("counts a resource's dropped and truncated attributes in the shard of its first span only", () => {
    const attributes = ['service.name', 'a', 'b'].map((key) => ({ key, value: { stringValue: 'long value' } }));
    const span = (n: number) => ({ traceId: Buffer.from(traceId(n), 'hex'), spanId: Buffer.from(SPAN_ID, 'hex') });
    const bytes = protobufjsEncode({ resourceSpans: [{ resource: { attributes }, scopeSpans: [{ spans: [span(3), span(1), span(5)] }] }] });
    const l = limits({ maxAttributesPerSpan: 1, maxAttributeValueBytes: 4 });
    const reports = [0, 1, 2].map((index) => ok(decodeProtobufTraces(bytes, l, undefined, { index, count: 3 })).report);
    expect(reports.map((r) => [r.acceptedSpans, r.droppedAttributes, r.truncatedValues])).toEqual([[1, 2, 1], [1, 0, 0], [1, 0, 0]]);
    expect(ok(decodeProtobufTraces(bytes, l)).report).toMatchObject({ droppedAttributes: 2, truncatedValues: 1 });
  });

  const envelopeBreaks: { name: string; input: Uint8Array }[] = [
    { name: 'a ResourceSpans length past the end', input: Buffer.concat([requestOf(spanBytes(traceId(0), 'a')), Buffer.from([0x0a, 0x05, 0x12])]) },
    { name: 'a malformed resource', input: msg(1, Buffer.concat([msg(1, Buffer.from([0x0a, 0x09])), msg(2, msg(2, spanBytes(traceId(1), 'a')))])) },
    { name: 'a span length past its ScopeSpans', input: msg(1, msg(2, Buffer.concat([msg(2, spanBytes(traceId(0), 'a')), Buffer.from([0x12, 0x7f])]))) },
    { name: 'spans with the wrong wire type', input: msg(1, msg(2, Buffer.concat([msg(2, spanBytes(traceId(1), 'a')), Buffer.from([0x10, 0x01])]))) },
  ];
  it.each(envelopeBreaks)('is invalid in every shard with $name', ({ input }) => {
    expect(decodeProtobufTraces(input).ok).toBe(false);
    for (let count = 1; count <= 4; count++) {
      for (let index = 0; index < count; index++) expect(decodeProtobufTraces(input, undefined, undefined, { index, count }).ok).toBe(false);
    }
  });

  it('refuses a shard outside 0 <= index < count', () => {
    for (const shard of [{ index: 2, count: 2 }, { index: -1, count: 2 }, { index: 0, count: 0 }, { index: 0.5, count: 2 }]) {
      expect(() => decodeProtobufTraces(new Uint8Array(0), undefined, undefined, shard)).toThrow(RangeError);
      expect(() => decodeJsonTraces('{}', undefined, shard)).toThrow(RangeError);
    }
  });
});

describe('decoding one shard of a JSON request', () => {
  const span = (n: number) => ({ traceId: traceId(n).toUpperCase(), spanId: SPAN_ID, name: `s${n}` });
  const envelopeBreaks: { name: string; input: string }[] = [
    { name: 'a document that does not parse', input: `{"resourceSpans": [{"scopeSpans": [{"spans": ${JSON.stringify([span(0), span(1)])}` },
    { name: 'resourceSpans not an array', input: '{"resourceSpans": 5}' },
    { name: 'a malformed resource', input: JSON.stringify({ resourceSpans: [{ resource: { attributes: [5] }, scopeSpans: [{ spans: [span(1)] }] }] }) },
    { name: 'a malformed ScopeSpans', input: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span(0)] }, 7] }] }) },
  ];
  it.each(envelopeBreaks)('is invalid in every shard with $name', ({ input }) => {
    expect(decodeJsonTraces(input).ok).toBe(false);
    for (let index = 0; index < 3; index++) expect(decodeJsonTraces(input, undefined, { index, count: 3 }).ok).toBe(false);
  });

  it('decodes the spans of its traces (trace ids in any case) and reports only their problems', () => {
    const text = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span(0), span(1), { ...span(2), kind: 'BOGUS' }, { spanId: SPAN_ID }] }] }] });
    const [s0, s1] = [0, 1].map((index) => decodeJsonTraces(text, undefined, { index, count: 2 }));
    expect([s0?.ok, s0?.spans.map((s) => s.name), s0?.report.rejected]).toMatchObject([false, ['s0'], { malformed: 1, invalid_trace_id: 1 }]);
    expect([s1?.ok, s1?.spans.map((s) => s.name), s1?.report.rejectedSpans]).toEqual([true, ['s1'], 0]);
  });
});
