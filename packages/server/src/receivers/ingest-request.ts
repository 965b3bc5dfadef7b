import type { Span } from '@betrace/engine';
import {
  type ExportResponse, type FieldFilter, type IngestLimits, type IngestReport, REJECT_REASONS, type Shard, decodeJsonTraces, decodeProtobufTraces,
  formatDecodeError,
} from '@betrace/otlp';
import type { Config } from '../config/schema.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { IngestOutcome } from '../pipeline/pipeline.ts';

/** The `protocol` label of the receiver metrics. */
export type Protocol = 'grpc' | 'http_protobuf' | 'http_json';

/** What a receiver answers for one request body. */
export type IngestAnswer =
  | { kind: 'ok'; response: ExportResponse }
  | { kind: 'throttled'; retryAfterSeconds: number; message: string }
  | { kind: 'invalid'; message: string }
  /** Nothing was decided for this request (a worker thread was replaced while it was in flight): retry. */
  | { kind: 'unavailable'; message: string };

/**
 * Decodes OTLP request bodies and ingests their spans: on the main thread (`LocalIntake`), or
 * sharded by trace id across worker threads (`WorkerPool`). Receivers only speak their protocol.
 */
export interface SpanIntake {
  ingest(protocol: Protocol, body: Uint8Array): IngestAnswer | Promise<IngestAnswer>;
  /** True when bodies are best read into a SharedArrayBuffer (worker threads read them in place). */
  readonly sharedBodies: boolean;
}

export const THROTTLED = {
  kind: 'throttled', retryAfterSeconds: 2, message: 'BeTrace is at its memory budget (violations waiting for the store); retry later',
} as const satisfies IngestAnswer;

/** The decoders' per-request limits from the server configuration. */
export function ingestLimits(limits: Config['limits']): IngestLimits {
  return {
    maxSpansPerRequest: limits.maxSpansPerRequest,
    maxAttributesPerSpan: limits.maxAttributesPerSpan,
    maxAttributeValueBytes: limits.maxAttributeValueLength,
  };
}

export type Decoded = { ok: true; spans: Span[]; report: IngestReport } | { ok: false; message: string };

/** Decodes one request body (only the spans of `shard`, when given). */
export function decodeBody(protocol: Protocol, body: Uint8Array, limits: IngestLimits, filter: FieldFilter | undefined, shard?: Shard): Decoded {
  if (protocol !== 'http_json') {
    const r = decodeProtobufTraces(body, limits, filter, shard);
    return r.ok ? r : { ok: false, message: r.errors.map((e) => formatDecodeError(e)).join('; ') };
  }
  const r = decodeJsonTraces(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'), limits, shard);
  // Nothing decoded and nothing counted as a rejected span: the document itself is broken.
  if (r.errors.length > 0 && r.spans.length === 0 && r.report.rejectedSpans === 0) {
    const first = r.errors.slice(0, 3).map((e) => formatDecodeError(e)).join('; ');
    return { ok: false, message: `not a valid OTLP/JSON ExportTraceServiceRequest: ${first}` };
  }
  return { ok: true, spans: r.spans, report: r.report };
}

/**
 * Counts what happened to one request and builds the answer. It carries the OTLP partial success:
 * spans the decoder rejected plus spans dropped because their trace was full. Under back-pressure
 * (`outcome` undefined) nothing was accepted and the client is told when to retry.
 */
export function answerFor(m: Metrics, config: Config, protocol: Protocol, report: IngestReport, outcome: IngestOutcome | undefined): IngestAnswer {
  m.spansReceived.inc({ protocol }, report.acceptedSpans + report.rejectedSpans);
  for (const reason of REJECT_REASONS) {
    const n = report.rejected[reason];
    if (n > 0) m.spansRejected.inc({ reason }, n);
  }
  if (report.droppedAttributes > 0) m.attributesDropped.inc(report.droppedAttributes);
  if (report.truncatedValues > 0) m.attributeValuesTruncated.inc(report.truncatedValues);

  let rejectedSpans = report.rejectedSpans;
  const messages = report.message === '' ? [] : [report.message];
  if (report.acceptedSpans > 0) {
    if (outcome === undefined) {
      m.spansRejected.inc({ reason: 'throttled' }, report.acceptedSpans);
      m.requests.inc({ protocol, outcome: 'throttled' });
      return THROTTLED;
    }
    if (outcome.overTraceLimit > 0) {
      rejectedSpans += outcome.overTraceLimit;
      m.spansRejected.inc({ reason: 'over_trace_limit' }, outcome.overTraceLimit);
      messages.push(
        `dropped ${outcome.overTraceLimit} spans whose trace already holds ${config.assembly.maxSpansPerTrace} spans (assembly.maxSpansPerTrace)`,
      );
    }
  }
  const errorMessage = messages.join('; ');
  m.requests.inc({ protocol, outcome: rejectedSpans > 0 || errorMessage !== '' ? 'partial' : 'ok' });
  return { kind: 'ok', response: { rejectedSpans, errorMessage } };
}
