import type { SQLInputValue } from 'node:sqlite';
import type { RuleSeverity } from '@betrace/engine';
import type { ViolationCursor } from '../cursor.ts';
import type { NormalizedFilter } from '../violation-filter.ts';
import type { ViolationRecord, WitnessSpan } from '../violation-record.ts';

/** A WHERE clause over `violations AS v` with its named parameters. */
export interface SqlWhere {
  sql: string;
  params: Record<string, SQLInputValue>;
}

/** Compiles a filter (and optionally a cursor) to SQL matching `matchesFilter` exactly. */
export function violationWhere(f: NormalizedFilter, cursor?: ViolationCursor): SqlWhere {
  const clauses: string[] = [];
  const params: Record<string, SQLInputValue> = {};
  if (f.ruleId !== undefined) {
    clauses.push('v.rule_id = :ruleId');
    params.ruleId = f.ruleId;
  }
  if (f.severities !== undefined) {
    const names = f.severities.map((s, i) => {
      params[`sev${i}`] = s;
      return `:sev${i}`;
    });
    clauses.push(names.length === 0 ? '0' : `v.severity IN (${names.join(', ')})`);
  }
  if (f.service !== undefined) {
    clauses.push('v.id IN (SELECT s.violation_id FROM violation_services s WHERE s.service = :service)');
    params.service = f.service;
  }
  if (f.traceId !== undefined) {
    clauses.push('v.trace_id = :traceId');
    params.traceId = f.traceId;
  }
  if (f.from !== undefined) {
    clauses.push('v.detected_at >= :from');
    params.from = f.from;
  }
  if (f.to !== undefined) {
    clauses.push('v.detected_at < :to');
    params.to = f.to;
  }
  if (f.status === 'open') clauses.push('v.resolved_at IS NULL');
  if (f.status === 'resolved') clauses.push('v.resolved_at IS NOT NULL');
  if (f.text !== undefined) {
    clauses.push('(betrace_contains(v.rule_name, :text) OR betrace_contains(v.rule_id, :text) OR betrace_contains(v.reason, :text))');
    params.text = f.text;
  }
  if (cursor) {
    clauses.push('(v.detected_at < :cursorAt OR (v.detected_at = :cursorAt AND v.id < :cursorId))');
    params.cursorAt = cursor.detectedAt;
    params.cursorId = cursor.id;
  }
  return { sql: clauses.length === 0 ? '1' : clauses.join(' AND '), params };
}

/** Column values for an INSERT, in `VIOLATION_COLUMNS` order. */
export const VIOLATION_COLUMNS = [
  'id', 'rule_id', 'rule_name', 'rule_version', 'severity', 'trace_id', 'bound_span_id', 'trigger',
  'offending', 'reason', 'detected_at', 'trace_start', 'signature', 'resolved_at', 'resolution',
] as const;

export function violationRow(r: ViolationRecord): SQLInputValue[] {
  return [
    r.id, r.ruleId, r.ruleName, r.ruleVersion, r.severity, r.traceId, r.boundSpanId,
    JSON.stringify(r.trigger), JSON.stringify(r.offending), r.reason, r.detectedAt, r.traceStart,
    r.signature, r.resolvedAt ?? null, r.resolution ?? null,
  ];
}

export function toViolation(row: Record<string, unknown>): ViolationRecord {
  const r: ViolationRecord = {
    id: String(row.id),
    ruleId: String(row.rule_id),
    ruleName: String(row.rule_name),
    ruleVersion: Number(row.rule_version),
    severity: row.severity as RuleSeverity,
    traceId: String(row.trace_id),
    boundSpanId: String(row.bound_span_id),
    trigger: JSON.parse(String(row.trigger)) as WitnessSpan[],
    offending: JSON.parse(String(row.offending)) as WitnessSpan[],
    reason: String(row.reason),
    detectedAt: Number(row.detected_at),
    traceStart: Number(row.trace_start),
    signature: String(row.signature),
  };
  if (row.resolved_at !== null) r.resolvedAt = Number(row.resolved_at);
  if (row.resolution !== null) r.resolution = String(row.resolution);
  return r;
}
