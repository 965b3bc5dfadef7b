import { describe, expect, it } from 'vitest';
import { decodeJsonTraces, decodeProtobufTraces } from './index.ts';
import type { IngestLimits, ProtobufDecodeResult } from './index.ts';
import { protobufjsEncode } from './testing/index.ts';
import { TRACE_ID, oneSpan } from './testing/wire-bytes.ts';

const limits = (l: Partial<IngestLimits>): IngestLimits => ({ maxSpansPerRequest: 100, maxAttributesPerSpan: 100, maxAttributeValueBytes: 1000, ...l });

function ok(result: ProtobufDecodeResult) {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
  return result;
}

function spans(n: number, make: (i: number) => object = () => ({})): object[] {
  return Array.from({ length: n }, (_, i) => ({
    traceId: Buffer.from(TRACE_ID, 'hex'),
    spanId: Buffer.from((i + 1).toString(16).padStart(16, '0'), 'hex'),
    name: `s${i}`,
    startTimeUnixNano: '10',
    endTimeUnixNano: '20',
    ...make(i),
  }));
}

const request = (list: object[]) => protobufjsEncode({ resourceSpans: [{ scopeSpans: [{ spans: list }] }] });

describe('ingest limits on the protobuf path', () => {
  it('accepts the first maxSpansPerRequest spans and rejects the rest with a reason and advice', () => {
    const r = ok(decodeProtobufTraces(request(spans(7)), limits({ maxSpansPerRequest: 5 })));
    expect(r.spans.map((s) => s.name)).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(r.report).toMatchObject({ acceptedSpans: 5, rejectedSpans: 2, rejected: { too_many_spans: 2 } });
    expect(r.report.message).toBe('rejected 2 of 7 spans: 2 over the per-request span limit (at most 5 spans per request; send smaller batches)');
  });

  it('drops attributes past the limit (new keys only) and counts them', () => {
    const attributes = ['a', 'b', 'c', 'a', 'd'].map((key, i) => ({ key, value: { intValue: i } }));
    const r = ok(decodeProtobufTraces(oneSpan({ attributes }), limits({ maxAttributesPerSpan: 2 })));
    expect(Object.fromEntries(r.spans[0]!.attributes)).toEqual({ a: 3, b: 1 });
    expect(r.report.droppedAttributes).toBe(2);
    expect(r.report.rejectedSpans).toBe(0);
    expect(r.report.message).toBe('dropped 2 attributes over the limit of 2 per span');
  });

  it('truncates long string and bytes values without splitting a UTF-8 character, and counts them', () => {
    const attributes = [
      { key: 's', value: { stringValue: 'ab€cd' } }, // € is 3 bytes: a cut at 4 falls inside it
      { key: 'b', value: { bytesValue: Buffer.from([1, 2, 3, 4, 5, 6]) } },
      { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'xxxxxx' }, { stringValue: 'ok' }] } } },
      { key: 'short', value: { stringValue: 'abcd' } },
    ];
    const r = ok(decodeProtobufTraces(oneSpan({ attributes }), limits({ maxAttributeValueBytes: 4 })));
    expect(Object.fromEntries(r.spans[0]!.attributes)).toEqual({ s: 'ab', b: new Uint8Array([1, 2, 3, 4]), arr: ['xxxx', 'ok'], short: 'abcd' });
    expect(r.report.truncatedValues).toBe(3);
  });

  it('rejects spans with invalid ids or times, counts each reason and says where', () => {
    const bad = spans(6, (i) => [
      { traceId: Buffer.alloc(16) },
      { traceId: Buffer.alloc(0) },
      { spanId: Buffer.from([1, 2, 3]) },
      { parentSpanId: Buffer.from([1, 2]) },
      { startTimeUnixNano: '30', endTimeUnixNano: '20' },
      {},
    ][i]!);
    const r = ok(decodeProtobufTraces(request(bad)));
    expect(r.spans.map((s) => s.name)).toEqual(['s5']);
    expect(r.report.rejected).toEqual({ too_many_spans: 0, invalid_trace_id: 2, invalid_span_id: 2, invalid_time: 1, malformed: 0 });
    const at = 'resourceSpans[0].scopeSpans[0].spans';
    expect(r.errors.map((e) => [e.path, e.message])).toEqual([
      [`${at}[0].traceId`, 'an all-zero trace id is invalid; expected 16 bytes, not all zero'],
      [`${at}[1].traceId`, 'the span has no trace id; expected 16 bytes'],
      [`${at}[2].spanId`, 'expected a 8-byte span id, found 3 bytes'],
      [`${at}[3].parentSpanId`, 'expected an empty parent span id or 8 bytes, found 2 bytes'],
      [`${at}[4].endTimeUnixNano`, 'the span ends (20) before it starts (30); expected end_time_unix_nano >= start_time_unix_nano'],
    ]);
    expect(r.report.message).toMatch(/^rejected 5 of 6 spans: 2 with an invalid trace id, 2 with an invalid span or parent span id, 1 ending before they start; first: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId: an all-zero trace id/);
  });

  it('keeps detailed errors for the first 10 rejected spans and counts all of them', () => {
    const r = ok(decodeProtobufTraces(request(spans(50, () => ({ traceId: Buffer.alloc(16) })))));
    expect(r.errors).toHaveLength(10);
    expect(r.report.rejected.invalid_trace_id).toBe(50);
  });

});

describe('the same limits on the JSON path', () => {
  const json = (list: object[]) => ({
    resourceSpans: [{ scopeSpans: [{ spans: list }] }],
  });
  const jsonSpans = (n: number, make: (i: number) => object = () => ({})) =>
    Array.from({ length: n }, (_, i) => ({
      traceId: TRACE_ID,
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: `s${i}`,
      startTimeUnixNano: '10',
      endTimeUnixNano: '20',
      ...make(i),
    }));

  it('rejects spans over the limit, drops attributes and truncates values, with the same report', () => {
    const list = jsonSpans(4, (i) => (i === 0 ? { attributes: [
      { key: 'a', value: { stringValue: 'ab€cd' } },
      { key: 'b', value: { intValue: 1 } },
      { key: 'c', value: { intValue: 2 } },
    ] } : {}));
    const r = decodeJsonTraces(json(list), limits({ maxSpansPerRequest: 3, maxAttributesPerSpan: 2, maxAttributeValueBytes: 4 }));
    expect(r.spans.map((s) => s.name)).toEqual(['s0', 's1', 's2']);
    expect(Object.fromEntries(r.spans[0]!.attributes)).toEqual({ a: 'ab', b: 1 });
    expect(r.report).toMatchObject({ acceptedSpans: 3, rejectedSpans: 1, rejected: { too_many_spans: 1 }, droppedAttributes: 1, truncatedValues: 1 });
  });

  it('counts invalid ids and times by reason, and spans of a malformed scope as malformed', () => {
    const list = jsonSpans(3, (i) => [{ traceId: '0'.repeat(32) }, { parentSpanId: 'zz' }, { startTimeUnixNano: '30' }][i]!);
    const r = decodeJsonTraces({ resourceSpans: [{ scopeSpans: [{ spans: list }] }, { resource: 5, scopeSpans: [{ spans: [{}, {}] }] }] });
    expect(r.report.rejected).toMatchObject({ invalid_trace_id: 1, invalid_span_id: 1, invalid_time: 1 });
    expect(r.report.rejected.malformed).toBe(2);
  });

});
