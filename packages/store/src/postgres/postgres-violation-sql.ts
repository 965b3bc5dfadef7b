import type { RuleSeverity } from '@betrace/engine';
import type { ViolationCursor } from '../cursor.ts';
import type { NormalizedFilter } from '../violation-filter.ts';
import type { ViolationRecord, WitnessSpan } from '../violation-record.ts';
import type { Params } from './postgres-client.ts';

/**
 * Where the rows come from. With a service filter the query starts at `violation_services s`
 * (service, detected_at, violation_id), or (service, rule_id, detected_at, violation_id) with a
 * rule too, so "newest first for one service" reads an index in order; otherwise from
 * `violations v` alone.
 */
export function violationSource(f: NormalizedFilter): { from: string; at: string; id: string } {
  return f.service === undefined
    ? { from: 'violations v', at: 'v.detected_at', id: 'v.id' }
    : { from: 'violation_services s JOIN violations v ON v.id = s.violation_id', at: 's.detected_at', id: 's.violation_id' };
}

/** A WHERE clause over `violationSource(f)` matching `matchesFilter` exactly. */
export function violationWhere(f: NormalizedFilter, p: Params, cursor?: ViolationCursor): string {
  const { at, id } = violationSource(f);
  const clauses: string[] = [];
  if (f.service !== undefined) clauses.push(`s.service = ${p.add(f.service)}`);
  // With a service, the side table's copy of the rule id: (service, rule_id, detected_at) is one index.
  if (f.ruleId !== undefined) clauses.push(`${f.service === undefined ? 'v' : 's'}.rule_id = ${p.add(f.ruleId)}`);
  if (f.severities !== undefined) {
    clauses.push(f.severities.length === 0 ? 'false'
      : f.severities.length === 1 ? `v.severity = ${p.add(f.severities[0])}` : `v.severity = ANY(${p.add(f.severities)}::text[])`);
  }
  if (f.traceId !== undefined) clauses.push(`v.trace_id = ${p.add(f.traceId)}`);
  if (f.from !== undefined) clauses.push(`${at} >= ${p.add(f.from)}`);
  if (f.to !== undefined) clauses.push(`${at} < ${p.add(f.to)}`);
  if (f.status === 'open') clauses.push('v.resolved_at IS NULL');
  if (f.status === 'resolved') clauses.push('v.resolved_at IS NOT NULL');
  if (f.text !== undefined) {
    // strpos, not LIKE: the needle is literal (no % or _ wildcards). It is already folded in JS.
    const t = p.add(f.text);
    clauses.push(`(strpos(betrace_fold(v.rule_name), ${t}) > 0 OR strpos(betrace_fold(v.rule_id), ${t}) > 0 OR strpos(betrace_fold(v.reason), ${t}) > 0)`);
  }
  if (cursor) clauses.push(`(${at}, ${id}) < (${p.add(cursor.detectedAt)}::double precision, ${p.add(cursor.id)}::text COLLATE "C")`);
  return clauses.length === 0 ? 'true' : clauses.join(' AND ');
}

/** Column names in the order of `violationColumns`. */
export const VIOLATION_COLUMNS = [
  'id', 'rule_id', 'rule_name', 'rule_version', 'severity', 'trace_id', 'bound_span_id', 'trigger',
  'offending', 'reason', 'detected_at', 'trace_start', 'signature', 'resolved_at', 'resolution',
] as const;

/** The PostgreSQL array type of each column, for `unnest($n::type[])`. */
export const VIOLATION_TYPES = [
  'text', 'text', 'text', 'integer', 'text', 'text', 'text', 'text',
  'text', 'text', 'double precision', 'double precision', 'text', 'double precision', 'text',
] as const;

/** The records as one array per column, for a single multi-row INSERT … SELECT FROM unnest. */
export function violationColumns(records: readonly ViolationRecord[]): unknown[][] {
  const cols: unknown[][] = VIOLATION_COLUMNS.map(() => []);
  for (const r of records) {
    const row = [
      r.id, r.ruleId, r.ruleName, r.ruleVersion, r.severity, r.traceId, r.boundSpanId,
      JSON.stringify(r.trigger), JSON.stringify(r.offending), r.reason, r.detectedAt, r.traceStart,
      r.signature, r.resolvedAt ?? null, r.resolution ?? null,
    ];
    row.forEach((v, i) => cols[i]!.push(v));
  }
  return cols;
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
