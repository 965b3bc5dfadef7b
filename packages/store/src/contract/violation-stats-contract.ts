import { expect, it } from 'vitest';
import { errorCode, MINUTE, must, span, T0, violation } from './fixtures.ts';
import type { ContractContext } from './fixtures.ts';

const HOUR = 60 * MINUTE;
const zero = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };

/** stats: totals, groupings, dense aligned buckets, filters and bad requests. */
export function violationStatsContract(ctx: () => ContractContext): void {
  async function seed(): Promise<void> {
    await ctx().stores.violations.record([
      violation({ traceId: 't1', ruleId: 'r1', ruleName: 'Old name', severity: 'critical', detectedAt: T0 + 5 * MINUTE,
        trigger: [span('a', 'checkout'), span('b', 'checkout')], offending: [span('c', 'payments')] }),
      violation({ traceId: 't2', ruleId: 'r1', ruleName: 'New name', severity: 'critical', detectedAt: T0 + 70 * MINUTE,
        trigger: [span('a', 'checkout')] }),
      violation({ traceId: 't3', ruleId: 'r2', ruleName: 'Two', severity: 'low', detectedAt: T0 + 80 * MINUTE,
        trigger: [span('a', 'payments')], resolvedAt: T0 + 90 * MINUTE, resolution: 'late span' }),
      violation({ traceId: 't4', ruleId: 'r0', ruleName: 'Zero', severity: 'info', detectedAt: T0 + 150 * MINUTE,
        trigger: [span('a', '')] }),
      violation({ traceId: 't5', ruleId: 'r3', ruleName: 'Three', severity: 'high', detectedAt: T0 + 170 * MINUTE,
        trigger: [span('a', 'checkout')] }),
      // Outside the window on both sides.
      violation({ traceId: 'early', ruleId: 'r9', severity: 'medium', detectedAt: T0 - 1 }),
      violation({ traceId: 'late', ruleId: 'r9', severity: 'medium', detectedAt: T0 + 3 * HOUR }),
    ]);
  }

  it('counts the window by severity, rule, service and hour', async () => {
    await seed();
    const stats = must(await ctx().stores.violations.stats({ from: T0, to: T0 + 3 * HOUR, bucketMs: HOUR }));
    expect(stats.total).toBe(5);
    expect(stats.bySeverity).toEqual({ ...zero, critical: 2, low: 1, info: 1, high: 1 });
    // Most first, ties by rule id; the newest violation's name wins.
    expect(stats.byRule).toEqual([
      { ruleId: 'r1', ruleName: 'New name', count: 2 },
      { ruleId: 'r0', ruleName: 'Zero', count: 1 },
      { ruleId: 'r2', ruleName: 'Two', count: 1 },
      { ruleId: 'r3', ruleName: 'Three', count: 1 },
    ]);
    // A violation counts once per service however many of its spans cite it; '' is not a service.
    expect(stats.byService).toEqual([
      { service: 'checkout', count: 3 },
      { service: 'payments', count: 2 },
    ]);
    expect(stats.buckets).toEqual([
      { start: T0, bySeverity: { ...zero, critical: 1 } },
      { start: T0 + HOUR, bySeverity: { ...zero, critical: 1, low: 1 } },
      { start: T0 + 2 * HOUR, bySeverity: { ...zero, info: 1, high: 1 } },
    ]);
  });

  it('aligns buckets to multiples of bucketMs and includes empty ones', async () => {
    await seed();
    const stats = must(await ctx().stores.violations.stats({ from: T0 + 30 * MINUTE, to: T0 + 150 * MINUTE, bucketMs: HOUR }));
    expect(stats.buckets.map((b) => b.start)).toEqual([T0, T0 + HOUR, T0 + 2 * HOUR]);
    expect(stats.buckets.map((b) => b.bySeverity)).toEqual([zero, { ...zero, critical: 1, low: 1 }, zero]);
    expect(stats.total).toBe(2);
  });

  it('applies filters to every grouping', async () => {
    await seed();
    const { violations } = ctx().stores;
    const open = must(await violations.stats({ from: T0, to: T0 + 3 * HOUR, bucketMs: HOUR, filters: { status: 'open', service: 'checkout' } }));
    expect(open.total).toBe(3);
    expect(open.byRule.map((r) => [r.ruleId, r.count])).toEqual([['r1', 2], ['r3', 1]]);
    expect(open.byService).toEqual([{ service: 'checkout', count: 3 }, { service: 'payments', count: 1 }]);
    const text = must(await violations.stats({ from: T0, to: T0 + 3 * HOUR, bucketMs: HOUR, filters: { text: 'two', severity: ['low'] } }));
    expect(text.total).toBe(1);
    expect(text.bySeverity).toEqual({ ...zero, low: 1 });
  });

  it('returns zeros for an empty store', async () => {
    const stats = must(await ctx().stores.violations.stats({ from: T0, to: T0 + 2 * MINUTE, bucketMs: MINUTE }));
    expect(stats).toEqual({
      total: 0, bySeverity: zero, byRule: [], byService: [],
      buckets: [{ start: T0, bySeverity: zero }, { start: T0 + MINUTE, bySeverity: zero }],
    });
  });

  it('rejects an empty window, a bad bucket width and too many buckets', async () => {
    const { violations } = ctx().stores;
    expect(errorCode(await violations.stats({ from: T0, to: T0, bucketMs: MINUTE }))).toBe('invalid');
    expect(errorCode(await violations.stats({ from: T0, to: T0 + HOUR, bucketMs: 0 }))).toBe('invalid');
    expect(errorCode(await violations.stats({ from: T0, to: T0 + HOUR, bucketMs: 1.5 }))).toBe('invalid');
    expect(errorCode(await violations.stats({ from: T0, to: T0 + 365 * 24 * HOUR, bucketMs: MINUTE }))).toBe('invalid');
  });
}
