import type { Span, Trace } from '@betrace/engine';
import type { DecodeError } from './decode-error.ts';
import { decodeResource, decodeSpan } from './decode-span.ts';
import { IngestCounter } from './ingest-counter.ts';
import type { IngestLimits, IngestReport, RejectReason } from './ingest-limits.ts';
import { DEFAULT_INGEST_LIMITS } from './ingest-limits.ts';
import { parseJsonDocuments } from './json-documents.ts';
import { FieldError, at, describe, expectArray, isObject } from './json-value.ts';

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
 * apply to each document as one request (pass `NO_INGEST_LIMITS` for trusted files).
 */
export function decodeJsonTraces(input: string | unknown, limits: IngestLimits = DEFAULT_INGEST_LIMITS): DecodeResult {
  const counter = new IngestCounter(limits);
  const errors: DecodeError[] = [];
  const spans: Span[] = [];
  const documents =
    typeof input === 'string' ? parseJsonDocuments(input) : { documents: [{ value: input }], errors: [] };
  errors.push(...documents.errors);
  for (const doc of documents.documents) {
    const docErrors: DecodeError[] = [];
    counter.seen = 0;
    decodeRequest(doc.value, spans, docErrors, counter);
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

function decodeRequest(value: unknown, out: Span[], errors: DecodeError[], counter: IngestCounter): void {
  if (!isObject(value)) {
    errors.push({ path: '', message: `expected an ExportTraceServiceRequest object, found ${describe(value)}` });
    return;
  }
  if (!('resourceSpans' in value)) {
    errors.push({ path: '', message: 'expected an ExportTraceServiceRequest: the object has no "resourceSpans"' });
    return;
  }
  guarded(errors, counter, 0, () => {
    expectArray(value['resourceSpans'], 'resourceSpans').forEach((rs, i) =>
      decodeResourceSpans(rs, at('resourceSpans', i), out, errors, counter),
    );
  });
}

function decodeResourceSpans(value: unknown, path: string, out: Span[], errors: DecodeError[], counter: IngestCounter): void {
  guarded(errors, counter, countSpans(value), () => {
    if (!isObject(value)) throw new FieldError(path, `expected a ResourceSpans object, found ${describe(value)}`);
    const ctx = decodeResource(value['resource'], at(path, 'resource'), counter);
    // `instrumentationLibrarySpans` is the pre-1.0 name of `scopeSpans`; old exporters still send it.
    for (const key of ['scopeSpans', 'instrumentationLibrarySpans']) {
      expectArray(value[key], at(path, key)).forEach((ss, j) => {
        const ssPath = at(at(path, key), j);
        guarded(errors, counter, countScopeSpans(ss), () => {
          if (!isObject(ss)) throw new FieldError(ssPath, `expected a ScopeSpans object, found ${describe(ss)}`);
          expectArray(ss['spans'], at(ssPath, 'spans')).forEach((span, k) => {
            if (counter.overSpanLimit()) return;
            guarded(errors, counter, 1, () => out.push(decodeSpan(span, at(at(ssPath, 'spans'), k), ctx, counter)));
          });
        });
      });
    }
  });
}

/**
 * Runs one decoding step; a malformed part becomes an error, its `spans` are counted as rejected,
 * and decoding goes on with the rest.
 */
function guarded(errors: DecodeError[], counter: IngestCounter, spans: number, step: () => void): void {
  try {
    step();
  } catch (e) {
    if (!(e instanceof FieldError)) throw e;
    const error = { path: e.path, message: e.message };
    errors.push(error);
    const reason: RejectReason = spans === 1 ? e.reason : 'malformed';
    counter.reject(reason, error, spans);
  }
}

/** Spans inside a ResourceSpans that failed as a whole, so they are counted as rejected. */
function countSpans(rs: unknown): number {
  if (!isObject(rs)) return 0;
  let n = 0;
  for (const key of ['scopeSpans', 'instrumentationLibrarySpans']) {
    const list = rs[key];
    if (Array.isArray(list)) for (const ss of list) n += countScopeSpans(ss);
  }
  return n;
}

function countScopeSpans(ss: unknown): number {
  return isObject(ss) && Array.isArray(ss['spans']) ? ss['spans'].length : 0;
}
