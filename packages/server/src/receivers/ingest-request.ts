import type { Span } from '@betrace/engine';
import { type ExportResponse, type IngestLimits, type IngestReport, REJECT_REASONS } from '@betrace/otlp';
import type { Config } from '../config/schema.ts';
import type { ServerContext } from '../context.ts';

/** The `protocol` label of the receiver metrics. */
export type Protocol = 'grpc' | 'http_protobuf' | 'http_json';

/** What a receiver answers once a request decoded. */
export type IngestAnswer =
  | { kind: 'ok'; response: ExportResponse }
  | { kind: 'throttled'; retryAfterSeconds: number; message: string };

/** The decoders' per-request limits from the server configuration. */
export function ingestLimits(limits: Config['limits']): IngestLimits {
  return {
    maxSpansPerRequest: limits.maxSpansPerRequest,
    maxAttributesPerSpan: limits.maxAttributesPerSpan,
    maxAttributeValueBytes: limits.maxAttributeValueLength,
  };
}

/**
 * Hands decoded spans to the pipeline and counts what happened. The answer carries the OTLP
 * partial success: spans the decoder rejected plus spans dropped because their trace was full.
 * Under back-pressure nothing is accepted and the client is told when to retry.
 */
export function ingestDecoded(ctx: ServerContext, protocol: Protocol, spans: readonly Span[], report: IngestReport): IngestAnswer {
  const m = ctx.metrics;
  m.spansReceived.inc({ protocol }, report.acceptedSpans + report.rejectedSpans);
  for (const reason of REJECT_REASONS) {
    const n = report.rejected[reason];
    if (n > 0) m.spansRejected.inc({ reason }, n);
  }
  if (report.droppedAttributes > 0) m.attributesDropped.inc(report.droppedAttributes);
  if (report.truncatedValues > 0) m.attributeValuesTruncated.inc(report.truncatedValues);

  let rejectedSpans = report.rejectedSpans;
  const messages = report.message === '' ? [] : [report.message];
  if (spans.length > 0) {
    const outcome = ctx.pipeline.ingest(spans);
    if (!outcome.ok) {
      m.spansRejected.inc({ reason: 'throttled' }, spans.length);
      m.requests.inc({ protocol, outcome: 'throttled' });
      return { kind: 'throttled', retryAfterSeconds: outcome.retryAfterSeconds, message: outcome.message };
    }
    if (outcome.overTraceLimit > 0) {
      rejectedSpans += outcome.overTraceLimit;
      m.spansRejected.inc({ reason: 'over_trace_limit' }, outcome.overTraceLimit);
      messages.push(
        `dropped ${outcome.overTraceLimit} spans whose trace already holds ${ctx.config.assembly.maxSpansPerTrace} spans (assembly.maxSpansPerTrace)`,
      );
    }
  }
  const errorMessage = messages.join('; ');
  m.requests.inc({ protocol, outcome: rejectedSpans > 0 || errorMessage !== '' ? 'partial' : 'ok' });
  return { kind: 'ok', response: { rejectedSpans, errorMessage } };
}
