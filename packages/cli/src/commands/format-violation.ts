import type { Span, Violation } from '@betrace/engine';

/** A span as it appears in a report. */
export interface SpanRef {
  spanId: string;
  name: string;
  service: string;
}

/** A violation with its spans resolved to names and services, as `check --json` prints it. */
export interface ViolationReport {
  ruleId: string;
  ruleName: string;
  severity: string;
  traceId: string;
  reason: string;
  boundSpan?: SpanRef;
  trigger: SpanRef[];
  offending: SpanRef[];
}

export function violationReport(v: Violation, spans: readonly Span[]): ViolationReport {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const ref = (id: string): SpanRef => {
    const span = byId.get(id);
    return { spanId: id, name: span?.name ?? '?', service: span?.service ?? '' };
  };
  const report: ViolationReport = {
    ruleId: v.ruleId,
    ruleName: v.ruleName,
    severity: v.severity,
    traceId: v.traceId,
    reason: v.reason,
    trigger: v.trigger.map(ref),
    offending: v.offending.map(ref),
  };
  if (v.boundSpanId !== undefined) report.boundSpan = ref(v.boundSpanId);
  return report;
}

/** Human-readable lines for one violation. */
export function formatViolation(r: ViolationReport, indent = ''): string[] {
  const lines = [
    `${indent}${r.ruleId} (${r.severity}) violated in trace ${r.traceId}`,
    `${indent}  rule:      ${r.ruleName}`,
    `${indent}  reason:    ${r.reason}`,
  ];
  const spans = (label: string, refs: SpanRef[]) => {
    refs.forEach((s, i) => lines.push(`${indent}  ${i === 0 ? label : ' '.repeat(label.length)} ${formatSpan(s)}`));
  };
  spans('trigger:  ', r.trigger);
  spans('offending:', r.offending);
  return lines;
}

function formatSpan(s: SpanRef): string {
  return `${s.name}${s.service ? ` [${s.service}]` : ''} ${s.spanId}`;
}
