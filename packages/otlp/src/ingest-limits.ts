/** Per-request bounds on what a receiver accepts; both OTLP decoders apply them. */
export interface IngestLimits {
  /** Spans past this many in one request are rejected (`too_many_spans`). */
  maxSpansPerRequest: number;
  /** Attributes past this many distinct keys on one span (or resource) are dropped and counted. */
  maxAttributesPerSpan: number;
  /** String and bytes attribute values longer than this many bytes (UTF-8) are truncated and counted. */
  maxAttributeValueBytes: number;
}

/** The defaults: 10 000 spans per request, 128 attributes per span, 16 KiB per attribute value. */
export const DEFAULT_INGEST_LIMITS: Readonly<IngestLimits> = Object.freeze({
  maxSpansPerRequest: 10_000,
  maxAttributesPerSpan: 128,
  maxAttributeValueBytes: 16 * 1024,
});

/** No bounds, for trusted input such as rule test files. */
export const NO_INGEST_LIMITS: Readonly<IngestLimits> = Object.freeze({
  maxSpansPerRequest: Infinity,
  maxAttributesPerSpan: Infinity,
  maxAttributeValueBytes: Infinity,
});

/** Why a span was rejected; the label of the rejected-spans metric. */
export type RejectReason = 'too_many_spans' | 'invalid_trace_id' | 'invalid_span_id' | 'invalid_time' | 'malformed';

export const REJECT_REASONS: readonly RejectReason[] = [
  'too_many_spans',
  'invalid_trace_id',
  'invalid_span_id',
  'invalid_time',
  'malformed',
];

/** What happened to the spans of one request: for metrics and for OTLP partial success. */
export interface IngestReport {
  acceptedSpans: number;
  rejectedSpans: number;
  /** Rejected spans by reason; every reason is present. `invalid_span_id` covers parent ids too. */
  rejected: Record<RejectReason, number>;
  /** Attributes dropped over `maxAttributesPerSpan` (span and resource attributes). */
  droppedAttributes: number;
  /** Attribute values cut to `maxAttributeValueBytes`. */
  truncatedValues: number;
  /** For `ExportTracePartialSuccess.error_message`: empty when nothing was rejected or altered. */
  message: string;
}
