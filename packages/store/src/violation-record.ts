import { createHash } from 'node:crypto';
import type { RuleSeverity } from '@betrace/engine';
import type { JsonValue } from './json-value.ts';

/** A span cited by a violation, with just enough context to read it without the trace. */
export interface WitnessSpan {
  spanId: string;
  name: string;
  /** `service.name` of the span's resource; '' when the resource has none. */
  service: string;
  /** The attributes the rule read on this span (after redaction). */
  attributes: Record<string, JsonValue>;
}

/** A violation as stored: identity, what happened, and proof it was not tampered with. */
export interface ViolationRecord {
  /** `violationId(ruleId, traceId, boundSpanId)`. */
  id: string;
  ruleId: string;
  ruleName: string;
  ruleVersion: number;
  severity: RuleSeverity;
  traceId: string;
  /** The span bound to the rule's label; '' for a rule without label. */
  boundSpanId: string;
  trigger: WitnessSpan[];
  offending: WitnessSpan[];
  reason: string;
  /** Milliseconds since the Unix epoch. */
  detectedAt: number;
  /** Start of the trace's earliest span, milliseconds since the Unix epoch. */
  traceStart: number;
  /** HMAC-SHA256 over the record, computed by the recorder; stored as given. */
  signature: string;
  /** When a late span resolved the violation (milliseconds since the Unix epoch). */
  resolvedAt?: number;
  /** Why it was resolved. */
  resolution?: string;
}

/**
 * The record id for a natural key. Deterministic so that the same violation found twice — by a
 * late re-evaluation, after a restart or on another instance — lands on the same row. NUL cannot
 * occur in the parts (ids are hex or rule ids), so joining with it cannot make two keys collide.
 */
export function violationId(ruleId: string, traceId: string, boundSpanId: string): string {
  return createHash('sha256').update([ruleId, traceId, boundSpanId].join('\u0000')).digest('hex').slice(0, 32);
}
