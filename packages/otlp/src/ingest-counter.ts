import type { DecodeError } from './decode-error.ts';
import { formatDecodeError } from './decode-error.ts';
import type { IngestLimits, IngestReport, RejectReason } from './ingest-limits.ts';
import { REJECT_REASONS } from './ingest-limits.ts';

/** Detailed errors kept per request; the counts stay complete beyond it. */
export const MAX_DETAILED_ERRORS = 10;

const REASON_TEXT: Record<RejectReason, string> = {
  too_many_spans: 'over the per-request span limit',
  invalid_trace_id: 'with an invalid trace id',
  invalid_span_id: 'with an invalid span or parent span id',
  invalid_time: 'ending before they start',
  malformed: 'malformed',
};

/** Counts accepted, rejected and altered spans of one request while a decoder runs. */
export class IngestCounter {
  readonly limits: IngestLimits;
  /** Span messages seen so far, accepted or not: what `maxSpansPerRequest` bounds. */
  seen = 0;
  accepted = 0;
  readonly rejected: Record<RejectReason, number>;
  droppedAttributes = 0;
  truncatedValues = 0;
  readonly errors: DecodeError[] = [];
  /** Errors not kept in `errors` because of `maxErrors`. */
  omittedErrors = 0;
  private readonly maxErrors: number;

  constructor(limits: IngestLimits, maxErrors = MAX_DETAILED_ERRORS) {
    this.limits = limits;
    this.maxErrors = maxErrors;
    this.rejected = { too_many_spans: 0, invalid_trace_id: 0, invalid_span_id: 0, invalid_time: 0, malformed: 0 };
  }

  /** True when the next span is over the limit; counts it as rejected. */
  overSpanLimit(): boolean {
    this.seen++;
    if (this.seen <= this.limits.maxSpansPerRequest) return false;
    this.rejected.too_many_spans++;
    return true;
  }

  /** A span another shard decodes: it still takes its place under `maxSpansPerRequest`. */
  skipSpan(): void {
    this.seen++;
  }

  reject(reason: RejectReason, error: DecodeError, spans = 1): void {
    this.rejected[reason] += spans;
    this.error(error);
  }

  error(error: DecodeError): void {
    if (this.errors.length < this.maxErrors) this.errors.push(error);
    else this.omittedErrors++;
  }

  report(): IngestReport {
    const rejectedSpans = REJECT_REASONS.reduce((n, r) => n + this.rejected[r], 0);
    return {
      acceptedSpans: this.accepted,
      rejectedSpans,
      rejected: { ...this.rejected },
      droppedAttributes: this.droppedAttributes,
      truncatedValues: this.truncatedValues,
      message: this.message(rejectedSpans),
    };
  }

  private message(rejectedSpans: number): string {
    const parts: string[] = [];
    if (rejectedSpans > 0) {
      const reasons = REJECT_REASONS.filter((r) => this.rejected[r] > 0).map((r) => `${this.rejected[r]} ${REASON_TEXT[r]}`);
      let text = `rejected ${rejectedSpans} of ${this.accepted + rejectedSpans} spans: ${reasons.join(', ')}`;
      if (this.rejected.too_many_spans > 0) {
        text += ` (at most ${this.limits.maxSpansPerRequest} spans per request; send smaller batches)`;
      }
      const first = this.errors[0];
      if (first !== undefined) text += `; first: ${formatDecodeError(first)}`;
      parts.push(text);
    }
    if (this.droppedAttributes > 0) {
      parts.push(`dropped ${this.droppedAttributes} attributes over the limit of ${this.limits.maxAttributesPerSpan} per span`);
    }
    if (this.truncatedValues > 0) {
      parts.push(`truncated ${this.truncatedValues} attribute values to ${this.limits.maxAttributeValueBytes} bytes`);
    }
    return parts.join('; ');
  }
}
