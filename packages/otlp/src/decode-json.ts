import type { Span, Trace } from '@betrace/engine';
import type { DecodeError } from './decode-error.ts';
import type { ResourceContext } from './decode-span.ts';
import { decodeResource, decodeSpan } from './decode-span.ts';
import { IngestCounter } from './ingest-counter.ts';
import type { IngestLimits, IngestReport } from './ingest-limits.ts';
import { DEFAULT_INGEST_LIMITS } from './ingest-limits.ts';
import { parseJsonDocuments } from './json-documents.ts';
import { FieldError, at, describe, expectArray, isObject } from './json-value.ts';
import type { Shard } from './shard.ts';
import { activeShard, traceShard } from './shard.ts';

/** Spans decoded from OTLP/JSON, grouped by trace id, plus every problem found on the way. */
export interface DecodeResult {
  /** True when the input decoded without any error. */
  ok: boolean;
  /** Traces in order of first appearance; spans inside in input order. */
  traces: Trace[];
  spans: Span[];
  errors: DecodeError[];
  /** Accepted, rejected (by reason) and altered spans, summed over all documents. */
  report: IngestReport;
}

/**
 * Decodes OTLP/JSON `ExportTraceServiceRequest`s: text holding one document or one per line
 * (the Collector `file` exporter's JSONL), or an already-parsed document. Never throws: a malformed
 * span is skipped and reported with its JSON path, and every valid span still loads. `limits`
 * apply to each document as one request (pass `NO_INGEST_LIMITS` for trusted files). With `shard`,
 * only the spans of that shard's traces are decoded, counted and reported (see `Shard`).
 */
export function decodeJsonTraces(input: string | unknown, limits: IngestLimits = DEFAULT_INGEST_LIMITS, shard?: Shard): DecodeResult {
  const only = activeShard(shard);
  const counter = new IngestCounter(limits);
  const errors: DecodeError[] = [];
  const spans: Span[] = [];
  const documents =
    typeof input === 'string' ? parseJsonDocuments(input) : { documents: [{ value: input }], errors: [] };
  errors.push(...documents.errors);
  for (const doc of documents.documents) {
    const docErrors: DecodeError[] = [];
    counter.seen = 0;
    decodeRequest(doc.value, { out: spans, errors: docErrors, counter, shard: only });
    for (const e of docErrors) errors.push(doc.line === undefined ? e : { ...e, line: doc.line });
  }
  counter.accepted = spans.length;
  return { ok: errors.length === 0, traces: groupByTrace(spans), spans, errors, report: counter.report() };
}

/** Groups spans by trace id, keeping the order in which trace ids first appear. */
export function groupByTrace(spans: readonly Span[]): Trace[] {
  const byId = new Map<string, Span[]>();
  for (const span of spans) {
    const list = byId.get(span.traceId);
    if (list) list.push(span);
    else byId.set(span.traceId, [span]);
  }
  return [...byId].map(([traceId, list]) => ({ traceId, spans: list }));
}

/** What one document's decoding adds to, and the spans it decodes. */
interface JsonContext {
  out: Span[];
  errors: DecodeError[];
  counter: IngestCounter;
  shard: Shard | undefined;
}

function decodeRequest(value: unknown, c: JsonContext): void {
  const errors = c.errors;
  if (!isObject(value)) {
    errors.push({ path: '', message: `expected an ExportTraceServiceRequest object, found ${describe(value)}` });
    return;
  }
  if (!('resourceSpans' in value)) {
    errors.push({ path: '', message: 'expected an ExportTraceServiceRequest: the object has no "resourceSpans"' });
    return;
  }
  guarded(c, 0, () => {
    expectArray(value['resourceSpans'], 'resourceSpans').forEach((rs, i) => decodeResourceSpans(rs, at('resourceSpans', i), c));
  });
}

function decodeResourceSpans(value: unknown, path: string, c: JsonContext): void {
  const counter = c.counter;
  guarded(c, countSpans(value, c.shard), () => {
    if (!isObject(value)) throw new FieldError(path, `expected a ResourceSpans object, found ${describe(value)}`);
    const ctx = decodeOwnResource(value, at(path, 'resource'), c);
    // `instrumentationLibrarySpans` is the pre-1.0 name of `scopeSpans`; old exporters still send it.
    for (const key of ['scopeSpans', 'instrumentationLibrarySpans']) {
      expectArray(value[key], at(path, key)).forEach((ss, j) => {
        const ssPath = at(at(path, key), j);
        guarded(c, countScopeSpans(ss, c.shard), () => {
          if (!isObject(ss)) throw new FieldError(ssPath, `expected a ScopeSpans object, found ${describe(ss)}`);
          expectArray(ss['spans'], at(ssPath, 'spans')).forEach((span, k) => {
            if (!mine(span, c.shard)) counter.skipSpan();
            else if (!counter.overSpanLimit()) guarded(c, 'span', () => c.out.push(decodeSpan(span, at(at(ssPath, 'spans'), k), ctx, counter)));
          });
        });
      });
    }
  });
}

/**
 * Runs one decoding step; a malformed part becomes an error, its `spans` (this shard's) are counted
 * as rejected, and decoding goes on with the rest. One span's error keeps its own reason.
 */
function guarded(c: JsonContext, spans: number | 'span', step: () => void): void {
  try {
    step();
  } catch (e) {
    if (!(e instanceof FieldError)) throw e;
    const error = { path: e.path, message: e.message };
    c.errors.push(error);
    if (spans === 'span') c.counter.reject(e.reason, error);
    else c.counter.reject('malformed', error, spans);
  }
}

/**
 * The shared resource of a ResourceSpans. With a shard, its own dropped and truncated attributes
 * count only in the shard of its first span (shard 0 when it has none), as in the protobuf decoder.
 */
function decodeOwnResource(rs: Record<string, unknown>, path: string, c: JsonContext): ResourceContext {
  const counter = c.counter;
  if (c.shard === undefined || firstSpanShard(rs, c.shard.count) === c.shard.index) return decodeResource(rs['resource'], path, counter);
  const dropped = counter.droppedAttributes;
  const truncated = counter.truncatedValues;
  try {
    return decodeResource(rs['resource'], path, counter);
  } finally {
    counter.droppedAttributes = dropped;
    counter.truncatedValues = truncated;
  }
}

/** True when `span` (a raw OTLP/JSON span) is decoded in `shard`; a span without a valid trace id belongs to shard 0. */
function mine(span: unknown, shard: Shard | undefined): boolean {
  return shard === undefined || spanShard(span, shard.count) === shard.index;
}

function spanShard(span: unknown, count: number): number {
  const traceId = isObject(span) ? span['traceId'] : undefined;
  return typeof traceId === 'string' ? traceShard(traceId, count) : 0;
}

function firstSpanShard(rs: Record<string, unknown>, count: number): number {
  for (const list of scopeLists(rs)) {
    for (const ss of list) {
      if (isObject(ss) && Array.isArray(ss['spans']) && ss['spans'].length > 0) return spanShard(ss['spans'][0], count);
    }
  }
  return 0;
}

function scopeLists(rs: Record<string, unknown>): unknown[][] {
  return ['scopeSpans', 'instrumentationLibrarySpans'].map((key) => rs[key]).filter((list): list is unknown[] => Array.isArray(list));
}

/** This shard's spans inside a ResourceSpans that failed as a whole, so they are counted as rejected. */
function countSpans(rs: unknown, shard: Shard | undefined): number {
  if (!isObject(rs)) return 0;
  let n = 0;
  for (const list of scopeLists(rs)) for (const ss of list) n += countScopeSpans(ss, shard);
  return n;
}

function countScopeSpans(ss: unknown, shard: Shard | undefined): number {
  if (!isObject(ss) || !Array.isArray(ss['spans'])) return 0;
  return shard === undefined ? ss['spans'].length : ss['spans'].filter((span) => mine(span, shard)).length;
}
