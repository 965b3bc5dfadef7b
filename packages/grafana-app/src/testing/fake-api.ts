import type { BetraceApi } from '../api/client';
import type { Rule, Status, Violation, ViolationStats } from '../api/types';

/** An API whose every call fails loudly unless the test provides it; the stream answers 404. */
export function fakeApi(overrides: Partial<BetraceApi> = {}): BetraceApi {
  const missing = (name: string) => () => Promise.reject(new Error(`fakeApi: ${name} not provided by the test`));
  const base = {} as Record<string, unknown>;
  for (const name of [
    'me', 'status', 'listRules', 'getRule', 'createRule', 'updateRule', 'deleteRule', 'setRuleEnabled', 'testRule', 'exportRules',
    'importRules', 'listViolations', 'getViolation', 'violationStats', 'exportViolationsCsv', 'listTraces', 'getTrace',
  ]) {
    base[name] = missing(name);
  }
  base.openViolationStream = () => Promise.resolve({ status: 404, chunks: (async function* () {})() });
  return { ...(base as unknown as BetraceApi), ...overrides };
}

export const ZERO_SEVERITIES = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };

export function status(patch: Partial<Status> = {}): Status {
  return {
    ready: true, rules: { total: 3, active: 2, disabled: 1, broken: [] }, buffered: {}, recentTraces: 0, tracesEvaluated: 0, spansAccepted: 0,
    pendingViolations: 0, ...patch,
  };
}

export function stats(patch: Partial<ViolationStats> = {}): ViolationStats {
  return { from: '', to: '', bucketMs: 3_600_000, total: 0, bySeverity: { ...ZERO_SEVERITIES }, byRule: [], byService: [], buckets: [], ...patch };
}

export function violation(patch: Partial<Violation> = {}): Violation {
  return {
    id: 'a'.repeat(32), ruleId: 'large-payment-fraud-checked', ruleName: 'Large payments are fraud-checked', ruleVersion: 1, severity: 'critical',
    traceId: 'b'.repeat(32), boundSpanId: 'c'.repeat(16),
    trigger: [{ spanId: 'c'.repeat(16), name: 'payment.charge', service: 'payments', attributes: { 'payment.amount': 1500 } }],
    offending: [], reason: 'no fraud.check before payment.charge', detectedAt: Date.parse('2025-01-01T12:00:00Z'),
    traceStart: Date.parse('2025-01-01T11:59:59Z'), signature: 'sig', ...patch,
  };
}

export function rule(patch: Partial<Rule> = {}): Rule {
  return {
    id: 'r1', name: 'Rule one', description: '', severity: 'high', tags: [], enabled: true, condition: 'when { a } always { b }', version: 1,
    createdAt: '', updatedAt: '', updatedBy: 'test', source: 'api', ...patch,
  };
}
