import { randomBytes } from 'node:crypto';
import type { Span, TraceIndex } from '@betrace/engine';
import type { OutgoingSpan } from '@betrace/otlp';
import type { ViolationRecord } from '@betrace/store';

export const VIOLATION_SPAN_NAME = 'betrace.violation';

/**
 * The `betrace.violation` span for a recorded violation: in the violation's own trace, a child of
 * the span that caused it (first trigger witness, else first offending span, else the root), and
 * placed at that span's end so it shows up next to its cause in Tempo.
 */
export function violationSpan(record: ViolationRecord, index: TraceIndex): OutgoingSpan {
  const parent = firstSpan(index, record.trigger) ?? firstSpan(index, record.offending) ?? index.root;
  const at = parent !== undefined ? BigInt(Math.round(parent.end)) : BigInt(record.detectedAt) * 1_000_000n;
  return {
    traceId: record.traceId,
    spanId: newSpanId(),
    ...(parent !== undefined ? { parentSpanId: parent.spanId } : {}),
    name: VIOLATION_SPAN_NAME,
    kind: 'internal',
    startNs: at,
    endNs: at,
    attributes: {
      'betrace.violation.id': record.id,
      'betrace.violation.rule_id': record.ruleId,
      'betrace.violation.rule_name': record.ruleName,
      'betrace.violation.rule_version': record.ruleVersion,
      'betrace.violation.severity': record.severity,
      'betrace.violation.reason': record.reason,
      'betrace.violation.signature': record.signature,
      'betrace.violation.trigger_span_ids': record.trigger.map((w) => w.spanId).join(','),
      'betrace.violation.offending_span_ids': record.offending.map((w) => w.spanId).join(','),
      'betrace.violation.detected_at': new Date(record.detectedAt).toISOString(),
    },
    resource: { 'service.name': 'betrace' },
  };
}

function firstSpan(index: TraceIndex, witnesses: readonly { spanId: string }[]): Span | undefined {
  for (const w of witnesses) {
    const span = index.byId.get(w.spanId);
    if (span !== undefined) return span;
  }
  return undefined;
}

/** A random 8-byte span id; an all-zero id is invalid in OTLP, so it is never returned. */
function newSpanId(): string {
  for (;;) {
    const id = randomBytes(8).toString('hex');
    if (id !== '0000000000000000') return id;
  }
}
