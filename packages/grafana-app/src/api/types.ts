/** Shapes of the BeTrace REST API (packages/server/src/api), as the pages read them. */

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface Rule {
  id: string;
  name: string;
  description: string;
  severity: Severity;
  tags: string[];
  enabled: boolean;
  condition: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  source: 'api' | 'file';
}

export interface NewRule {
  id: string;
  name: string;
  description?: string;
  severity: Severity;
  tags?: string[];
  enabled?: boolean;
  condition: string;
}

export type RuleChanges = Partial<Omit<NewRule, 'id'>> & { version?: number };

export interface WitnessSpan {
  spanId: string;
  name: string;
  service: string;
  attributes?: Record<string, JsonValue>;
}

export interface Violation {
  id: string;
  ruleId: string;
  ruleName: string;
  ruleVersion: number;
  severity: Severity;
  traceId: string;
  boundSpanId: string;
  trigger: WitnessSpan[];
  offending: WitnessSpan[];
  reason: string;
  detectedAt: number;
  traceStart: number;
  signature: string;
  resolvedAt?: number;
  resolution?: string;
  /** Only on GET /violations/:id. */
  signatureValid?: boolean;
}

export interface ViolationFilter {
  ruleId?: string;
  severity?: Severity[];
  service?: string;
  traceId?: string;
  /** Free text over rule name, reason, span names. */
  q?: string;
  from?: number;
  to?: number;
}

export interface ViolationPage {
  items: Violation[];
  nextCursor: string | null;
}

export interface ViolationStats {
  from: string;
  to: string;
  bucketMs: number;
  total: number;
  bySeverity: Record<Severity, number>;
  byRule: Array<{ ruleId: string; ruleName: string; count: number }>;
  byService: Array<{ service: string; count: number }>;
  buckets: Array<{ start: number; bySeverity: Record<Severity, number> }>;
}

export interface Status {
  ready: boolean;
  rules: { total: number; active: number; disabled: number; broken: Array<{ id: string; name: string; version: number }> };
  buffered: unknown;
  recentTraces: number;
  tracesEvaluated: number;
  spansAccepted: number;
  pendingViolations: number;
}

export interface Me {
  id: string;
  name: string;
  role: 'viewer' | 'editor' | 'admin';
  authEnabled: boolean;
}

export interface TraceSummary {
  traceId: string;
  spanCount: number;
  rootName: string | null;
  rootService: string | null;
  services: string[];
  start: string | null;
  durationNs: string;
}

export interface TraceSpan {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string;
  status: string;
  statusMessage: string;
  service: string;
  start: string | null;
  startNs: string;
  endNs: string;
  durationNs: string;
  attributes: Record<string, JsonValue>;
  resource: Record<string, JsonValue>;
}

export interface TraceDetail extends TraceSummary {
  spans: TraceSpan[];
  violations: Violation[];
}

/** A diagnostic as POST /rules/validate and rule errors return it (UTF-16 ranges). */
export interface DiagnosticView {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  hint?: string;
  range: { start: number; end: number };
  start: { line: number; column: number };
}

export interface RuleTestInput {
  condition: string;
  trace?: unknown;
  traceId?: string;
}

export interface RuleTestResult {
  verdict: 'violation' | 'pass';
  traces: number;
  spans: number;
  violations: Array<{ traceId: string; boundSpanId?: string; reason: string; trigger: WitnessSpan[]; offending: WitnessSpan[] }>;
  decodeErrors: string[];
}

export interface ImportReport {
  rules: Array<{
    id: string;
    outcome: 'created' | 'updated' | 'unchanged' | 'error';
    version?: number;
    problems: Array<{ severity: string; line: number; column: number; message: string; code?: string }>;
    error?: { code: string; message: string };
  }>;
  problems: Array<{ severity: string; line: number; column: number; message: string; code?: string }>;
  counts: Record<'created' | 'updated' | 'unchanged' | 'error', number>;
}
