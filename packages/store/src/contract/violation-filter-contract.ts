import { beforeEach, expect, it } from 'vitest';
import type { ViolationQuery } from '../violation-store.ts';
import { MINUTE, must, span, T0, violation } from './fixtures.ts';
import type { ContractContext } from './fixtures.ts';

// Six violations spread over rules, severities, services, traces, times and resolution state.
// The trace id doubles as a short name to read expected results by.
const ROWS = [
  violation({ traceId: 'v1', ruleId: 'pay-auth', ruleName: 'Payment needs auth', severity: 'critical', detectedAt: T0,
    trigger: [span('a', 'checkout')], offending: [span('b', 'payments')], reason: 'missing: auth.check' }),
  violation({ traceId: 'v2', ruleId: 'pay-auth', ruleName: 'Payment needs auth', severity: 'critical', detectedAt: T0 + MINUTE,
    trigger: [span('a', 'checkout')], reason: 'missing: auth.check', resolvedAt: T0 + 2 * MINUTE, resolution: 'late span' }),
  violation({ traceId: 'v3', ruleId: 'pii-log', ruleName: 'No PII in logs', severity: 'high', detectedAt: T0 + 2 * MINUTE,
    trigger: [span('a', 'api-gateway')], offending: [span('c', 'logger')], reason: 'forbidden: log.write' }),
  violation({ traceId: 'v4', ruleId: 'slow-db', ruleName: 'Zahlung ÜBER Limit', severity: 'low', detectedAt: T0 + 3 * MINUTE,
    trigger: [span('a', 'payments')], reason: 'missing: db.index' }),
  violation({ traceId: 'v5', ruleId: 'slow-db', ruleName: 'Zahlung ÜBER Limit', severity: 'low', detectedAt: T0 + 4 * MINUTE,
    trigger: [], offending: [span('d', 'postgres'), span('e', 'postgres')], reason: 'forbidden: db.scan', boundSpanId: 'd' }),
  violation({ traceId: 'v6', ruleId: 'ai-tool', ruleName: 'Agent tool budget', severity: 'info', detectedAt: T0 + 5 * MINUTE,
    trigger: [span('a', '')], reason: 'forbidden: tool.call' }),
];

// want: trace ids, newest first.
const CASES: { name: string; query: ViolationQuery; want: string[] }[] = [
  { name: 'no filter returns all, resolved included', query: {}, want: ['v6', 'v5', 'v4', 'v3', 'v2', 'v1'] },
  { name: 'ruleId', query: { ruleId: 'pay-auth' }, want: ['v2', 'v1'] },
  { name: 'ruleId unknown', query: { ruleId: 'nope' }, want: [] },
  { name: 'one severity', query: { severity: 'low' }, want: ['v5', 'v4'] },
  { name: 'several severities', query: { severity: ['critical', 'info'] }, want: ['v6', 'v2', 'v1'] },
  { name: 'empty severity list matches nothing', query: { severity: [] }, want: [] },
  { name: 'service in trigger', query: { service: 'checkout' }, want: ['v2', 'v1'] },
  { name: 'service in offending', query: { service: 'payments' }, want: ['v4', 'v1'] },
  { name: 'service cited twice counts once', query: { service: 'postgres' }, want: ['v5'] },
  { name: 'service is exact, not substring', query: { service: 'pay' }, want: [] },
  { name: 'traceId', query: { traceId: 'v3' }, want: ['v3'] },
  { name: 'from is inclusive', query: { from: T0 + 4 * MINUTE }, want: ['v6', 'v5'] },
  { name: 'to is exclusive', query: { to: T0 + MINUTE }, want: ['v1'] },
  { name: 'from and to', query: { from: T0 + MINUTE, to: T0 + 3 * MINUTE }, want: ['v3', 'v2'] },
  { name: 'text in rule name, any case', query: { text: 'PII IN' }, want: ['v3'] },
  { name: 'text in rule id', query: { text: 'SLOW-d' }, want: ['v5', 'v4'] },
  { name: 'text in reason', query: { text: 'auth.CHECK' }, want: ['v2', 'v1'] },
  { name: 'text folds non-ASCII case', query: { text: 'über' }, want: ['v5', 'v4'] },
  { name: 'text is literal (no wildcards)', query: { text: '%' }, want: [] },
  { name: 'empty text is no filter', query: { text: '' }, want: ['v6', 'v5', 'v4', 'v3', 'v2', 'v1'] },
  { name: 'status open', query: { status: 'open' }, want: ['v6', 'v5', 'v4', 'v3', 'v1'] },
  { name: 'status resolved', query: { status: 'resolved' }, want: ['v2'] },
  { name: 'status all', query: { status: 'all' }, want: ['v6', 'v5', 'v4', 'v3', 'v2', 'v1'] },
  { name: 'rule and open', query: { ruleId: 'pay-auth', status: 'open' }, want: ['v1'] },
  { name: 'severity and service', query: { severity: ['critical', 'low'], service: 'payments' }, want: ['v4', 'v1'] },
  { name: 'service and window', query: { service: 'checkout', from: T0 + 30_000 }, want: ['v2'] },
  { name: 'text and severity', query: { text: 'forbidden', severity: ['high', 'info'] }, want: ['v6', 'v3'] },
  { name: 'everything at once', query: { ruleId: 'slow-db', severity: 'low', service: 'postgres', traceId: 'v5', from: T0, to: T0 + 10 * MINUTE, text: 'scan', status: 'open' }, want: ['v5'] },
  { name: 'contradictory filters', query: { ruleId: 'pay-auth', severity: 'low' }, want: [] },
];

/** Every filter, alone and combined, as a table. */
export function violationFilterContract(ctx: () => ContractContext): void {
  beforeEach(async () => {
    await ctx().stores.violations.record(ROWS);
  });

  it.each(CASES)('filters: $name', async ({ query, want }) => {
    const page = must(await ctx().stores.violations.list(query));
    expect(page.items.map((r) => r.traceId)).toEqual(want);
  });
}
