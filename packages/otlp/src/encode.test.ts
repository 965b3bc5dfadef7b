import { describe, expect, it } from 'vitest';
import {
  decodeJsonTraces,
  decodeProtobufTraces,
  encodeExportTraceServiceResponse,
  encodeTraceRequest,
  exportTraceServiceResponseJson,
  traceRequestJson,
} from './index.ts';
import type { OutgoingSpan } from './index.ts';
import { RequestType, ResponseType } from './testing/index.ts';

const witness: OutgoingSpan = {
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  name: 'payment.charge',
  kind: 'internal',
  startNs: 1_700_000_000_123_456_789n,
  endNs: 1_700_000_000_223_456_789n,
  attributes: { 'betrace.rule.id': 'r1', amount: 12, ratio: 0.5, big: 2 ** 60, ok: false, 'é': 'ünïcode ✓'.repeat(20) },
  status: { code: 'error', message: 'declined' },
  resource: { 'service.name': 'betrace', 'service.version': '0.1.0' },
};
const violation: OutgoingSpan = {
  ...witness,
  spanId: '00f067aa0ba902b7',
  parentSpanId: 'eee19b7ec3c1b174',
  name: 'betrace.violation',
  attributes: { 'betrace.violation.severity': 'high' },
  status: { code: 'unset' },
};
const other: OutgoingSpan = { ...violation, spanId: '1111111111111111', resource: { 'service.name': 'elsewhere' } };

describe('encodeTraceRequest', () => {
  const bytes = encodeTraceRequest([witness, violation, other]);

  it('writes what protobufjs reads as the same request', () => {
    const decoded = RequestType.toObject(RequestType.decode(bytes), { longs: String, bytes: String, enums: Number }) as {
      resourceSpans: { resource: { attributes: unknown[] }; scopeSpans: { scope: { name: string }; spans: Record<string, unknown>[] }[] }[];
    };
    expect(decoded.resourceSpans).toHaveLength(2);
    const [first, second] = decoded.resourceSpans;
    expect(first?.resource.attributes).toEqual([
      { key: 'service.name', value: { stringValue: 'betrace' } },
      { key: 'service.version', value: { stringValue: '0.1.0' } },
    ]);
    expect(first?.scopeSpans[0]?.scope.name).toBe('betrace');
    const [w, v] = first?.scopeSpans[0]?.spans ?? [];
    expect(w).toMatchObject({
      traceId: Buffer.from(witness.traceId, 'hex').toString('base64'),
      name: 'payment.charge',
      kind: 1,
      startTimeUnixNano: '1700000000123456789',
      endTimeUnixNano: '1700000000223456789',
      status: { code: 2, message: 'declined' },
    });
    expect(w?.['attributes']).toEqual([
      { key: 'betrace.rule.id', value: { stringValue: 'r1' } },
      { key: 'amount', value: { intValue: '12' } },
      { key: 'ratio', value: { doubleValue: 0.5 } },
      { key: 'big', value: { doubleValue: 2 ** 60 } },
      { key: 'ok', value: { boolValue: false } },
      { key: 'é', value: { stringValue: 'ünïcode ✓'.repeat(20) } },
    ]);
    expect(v).toMatchObject({ name: 'betrace.violation', parentSpanId: Buffer.from('eee19b7ec3c1b174', 'hex').toString('base64') });
    expect(second?.scopeSpans[0]?.spans).toHaveLength(1);
  });

  it('round-trips through both decoders to the same engine spans', () => {
    const fromProto = decodeProtobufTraces(bytes);
    const fromJson = decodeJsonTraces(JSON.stringify(traceRequestJson([witness, violation, other])));
    expect(fromJson.errors).toEqual([]);
    expect(fromProto.ok && fromProto.spans).toEqual(fromJson.spans);
    const [w, v] = fromJson.spans;
    expect(w).toMatchObject({ kind: 'internal', status: 'error', duration: 100_000_000, service: 'betrace' });
    expect(v).toMatchObject({ parentSpanId: witness.spanId, status: 'unset', name: 'betrace.violation' });
  });

  it('writes an empty request for no spans and refuses malformed ids (a bug in the caller)', () => {
    expect(encodeTraceRequest([])).toHaveLength(0);
    expect(() => encodeTraceRequest([{ ...witness, traceId: 'xyz' }])).toThrow(/traceId must be 32 hex digits/);
  });
});

describe('encodeExportTraceServiceResponse', () => {
  it('is empty when everything was accepted', () => {
    expect(encodeExportTraceServiceResponse({ rejectedSpans: 0, errorMessage: '' })).toHaveLength(0);
    expect(exportTraceServiceResponseJson({ rejectedSpans: 0, errorMessage: '' })).toEqual({});
  });

  it.each([
    { rejectedSpans: 3, errorMessage: 'rejected 3 of 10 spans' },
    { rejectedSpans: 0, errorMessage: 'dropped 2 attributes' },
    { rejectedSpans: 2 ** 40, errorMessage: '' },
  ])('carries a partial success: $rejectedSpans, "$errorMessage"', (response) => {
    const bytes = encodeExportTraceServiceResponse(response);
    const decoded = ResponseType.toObject(ResponseType.decode(bytes), { longs: String, defaults: true }) as {
      partialSuccess: { rejectedSpans: string; errorMessage: string };
    };
    expect(decoded.partialSuccess).toEqual({ rejectedSpans: String(response.rejectedSpans), errorMessage: response.errorMessage });
    expect(exportTraceServiceResponseJson(response)).toEqual({ partialSuccess: { rejectedSpans: String(response.rejectedSpans), errorMessage: response.errorMessage } });
  });
});
