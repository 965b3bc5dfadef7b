import type { Span } from '@betrace/engine';
import { describe, expect, it } from 'vitest';
import { FieldFilter, decodeJsonTraces, decodeProtobufTraces, formatDecodeError, traceShard } from './index.ts';
import type { DecodeError, IngestLimits, IngestReport, ProtobufDecodeResult } from './index.ts';
import { protobufjsEncode } from './testing/index.ts';
import { prng } from './testing/random.ts';
import { otlpJson, randomRequest } from './testing/random-request.ts';
import { mapSpans, wireFields } from './testing/wire-bytes.ts';

// Differential: for every shard count, the shards' decodes of one request put together are the
// unsharded decode of it.

const COUNTS = [1, 2, 3, 4];
const shardsOf = (count: number) => Array.from({ length: count }, (_, index) => ({ index, count }));

interface Decoded {
  ok: boolean;
  spans: Span[];
  report: IngestReport;
  errors: DecodeError[];
}

function valid(r: ProtobufDecodeResult): Decoded {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.errors)}`);
  return { ...r, ok: true };
}

/** The report without its text, which may differ per shard. */
function counts(r: IngestReport): Omit<IngestReport, 'message'> {
  return { acceptedSpans: r.acceptedSpans, rejectedSpans: r.rejectedSpans, rejected: r.rejected, droppedAttributes: r.droppedAttributes, truncatedValues: r.truncatedValues };
}

function summed(reports: IngestReport[]): Omit<IngestReport, 'message'> {
  const sum = (f: (r: IngestReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  const rejected = { ...reports[0]!.rejected };
  for (const reason of Object.keys(rejected) as (keyof typeof rejected)[]) rejected[reason] = sum((r) => r.rejected[reason]);
  return { acceptedSpans: sum((r) => r.acceptedSpans), rejectedSpans: sum((r) => r.rejectedSpans), rejected, droppedAttributes: sum((r) => r.droppedAttributes), truncatedValues: sum((r) => r.truncatedValues) };
}

function expectShardsAddUp(whole: Decoded, shards: Decoded[], count: number): void {
  const key = (s: Span) => `${s.traceId}/${s.spanId}`;
  const union = new Map<string, Span>();
  for (const shard of shards) for (const s of shard.spans) union.set(key(s), s);
  expect(union.size).toBe(shards.reduce((n, s) => n + s.spans.length, 0)); // no span in two shards
  expect([...union.keys()].sort()).toEqual(whole.spans.map(key).sort());
  for (const s of whole.spans) expect(union.get(key(s))).toEqual(s);
  // Each shard holds exactly the spans the server's traceShard sends it, in request order.
  shards.forEach((shard, index) => expect(shard.spans).toEqual(whole.spans.filter((s) => traceShard(s.traceId, count) === index)));
  expect(summed(shards.map((s) => s.report))).toEqual(counts(whole.report));
}

function spanCount(request: object): number {
  const rs = (request as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] }).resourceSpans;
  return rs.reduce((n, r) => n + r.scopeSpans.reduce((m, ss) => m + ss.spans.length, 0), 0);
}

/** Limits that reject and alter: a span limit below the span count, few attributes, short values. */
function randomLimits(rand: () => number, spans: number): IngestLimits {
  return {
    maxSpansPerRequest: rand() < 0.6 ? Math.floor(rand() * spans) : Infinity,
    maxAttributesPerSpan: rand() < 0.6 ? 1 + ((rand() * 5) | 0) : Infinity,
    maxAttributeValueBytes: rand() < 0.6 ? 1 + ((rand() * 12) | 0) : Infinity,
  };
}

/** The span with its trace_id field moved to a random place among the others (their order kept). */
function moveTraceId(span: Buffer, rand: () => number): Buffer {
  const fields = wireFields(span);
  const rest = fields.filter((f) => f.field !== 1).map((f) => f.raw);
  rest.splice((rand() * (rest.length + 1)) | 0, 0, ...fields.filter((f) => f.field === 1).map((f) => f.raw));
  return Buffer.concat(rest);
}

/** Bytes that make a span malformed: an attributes field whose length runs past the span. */
const BROKEN = Buffer.from([0x4a, 0x7f]);

/** The span broken after its fields (its trace id still readable) or before them (no shard). */
function breakSpan(span: Buffer, rand: () => number): Buffer {
  return rand() < 0.5 ? Buffer.concat([span, BROKEN]) : Buffer.concat([BROKEN, span]);
}

/** Totals over the unsharded decodes, to show the random requests reach every case. */
function tally(totals: Record<string, number>, r: IngestReport): void {
  const add = (k: string, n: number) => (totals[k] = (totals[k] ?? 0) + n);
  for (const [reason, n] of Object.entries(r.rejected)) add(reason, n);
  add('accepted', r.acceptedSpans);
  add('dropped', r.droppedAttributes);
  add('truncated', r.truncatedValues);
}

describe('decodeProtobufTraces with a shard', () => {
  it('summed over the shards of 1–4, spans and counts are those of the unsharded decode (300 random requests)', () => {
    const rand = prng(2024);
    const totals: Record<string, number> = {};
    for (let i = 0; i < 300; i++) {
      const request = randomRequest(rand, { traces: 1 + ((rand() * 8) | 0), invalid: 0.15 });
      let bytes: Uint8Array = protobufjsEncode(request);
      if (rand() < 0.4) bytes = mapSpans(bytes, (span) => moveTraceId(span, rand));
      if (rand() < 0.3) bytes = mapSpans(bytes, (span) => (rand() < 0.2 ? breakSpan(span, rand) : span));
      const limits = randomLimits(rand, spanCount(request));
      const filter = rand() < 0.3 ? new FieldFilter(['attr.1', 'attr.4', 'service.name']) : undefined;
      const whole = valid(decodeProtobufTraces(bytes, limits, filter));
      tally(totals, whole.report);
      for (const count of COUNTS) {
        const shards = shardsOf(count).map((shard) => valid(decodeProtobufTraces(bytes, limits, filter, shard)));
        expectShardsAddUp(whole, shards, count);
      }
    }
    for (const k of ['accepted', 'too_many_spans', 'invalid_trace_id', 'invalid_span_id', 'invalid_time', 'malformed', 'dropped', 'truncated']) {
      expect(totals[k], k).toBeGreaterThan(10);
    }
  });

  it('is invalid in every shard exactly when the unsharded decode is, for requests cut at a random byte', () => {
    const rand = prng(99);
    let broken = 0;
    for (let i = 0; i < 200; i++) {
      const full = protobufjsEncode(randomRequest(rand, { traces: 4 }));
      const bytes = full.subarray(0, (rand() * full.length) | 0);
      const whole = decodeProtobufTraces(bytes);
      if (!whole.ok) broken++;
      for (const count of COUNTS) {
        const shards = shardsOf(count).map((shard) => decodeProtobufTraces(bytes, undefined, undefined, shard));
        expect(shards.map((s) => s.ok)).toEqual(shards.map(() => whole.ok));
        if (whole.ok) expectShardsAddUp(valid(whole), shards.map(valid), count);
      }
    }
    expect(broken).toBeGreaterThan(100);
  });
});

describe('decodeJsonTraces with a shard', () => {
  it('summed over the shards of 1–4, spans, counts and errors are those of the unsharded decode (300 random requests)', () => {
    const rand = prng(4048);
    const totals: Record<string, number> = {};
    for (let i = 0; i < 300; i++) {
      const lines = Array.from({ length: rand() < 0.3 ? 2 : 1 }, () => {
        const request = randomRequest(rand, { traces: 1 + ((rand() * 8) | 0), invalid: 0.15 });
        const json = otlpJson(request) as { resourceSpans: { resource?: unknown; scopeSpans: { spans: unknown }[] }[] };
        const rs = json.resourceSpans[(rand() * json.resourceSpans.length) | 0]!;
        const ss = rs.scopeSpans[(rand() * rs.scopeSpans.length) | 0]!;
        const spans = ss.spans as Record<string, unknown>[];
        // Breaks at each level: a resource (all its spans rejected), a scope, one span.
        if (rand() < 0.15) rs.resource = { attributes: [5] };
        else if (rand() < 0.1) ss.spans = 'x';
        else if (spans.length > 0 && rand() < 0.3) spans[(rand() * spans.length) | 0]!['kind'] = 'BOGUS';
        return { text: JSON.stringify(json), spans: spanCount(request) };
      });
      const text = lines.map((l) => l.text).join('\n');
      const limits = randomLimits(rand, Math.max(...lines.map((l) => l.spans)));
      const whole = decodeJsonTraces(text, limits);
      tally(totals, whole.report);
      for (const count of COUNTS) {
        const shards = shardsOf(count).map((shard) => decodeJsonTraces(text, limits, shard));
        expectShardsAddUp(whole, shards, count);
        expect(shards.every((s) => s.ok)).toBe(whole.ok);
        // Errors above spans are in every shard; a span's own error only in its shard.
        const errorSet = (errors: DecodeError[]) => [...new Set(errors.map((e) => formatDecodeError(e)))].sort();
        expect(errorSet(shards.flatMap((s) => s.errors))).toEqual(errorSet(whole.errors));
      }
    }
    for (const k of ['accepted', 'too_many_spans', 'invalid_trace_id', 'invalid_span_id', 'invalid_time', 'malformed', 'dropped', 'truncated']) {
      expect(totals[k], k).toBeGreaterThan(10);
    }
  });
});
