import type { RuleSeverity } from '@betrace/engine';
import { expect, it } from 'vitest';
import { MemoryViolationStore } from '../memory/memory-violation-store.ts';
import type { ViolationRecord } from '../violation-record.ts';
import type { ViolationFilter, ViolationStatsQuery, ViolationStore } from '../violation-store.ts';
import { must, MINUTE, span, T0, violation } from './fixtures.ts';
import type { ContractContext } from './fixtures.ts';

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const zero = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };

/**
 * stats over windows of many hours, where an adapter may answer from counts kept per hour: hour
 * and bucket boundaries, partial hours at the ends, resolving, retention, re-sent violations and
 * the filters hourly counts do not keep.
 */
export function violationStatsWindowContract(ctx: () => ContractContext): void {
  it('counts a violation on an hour boundary in the hour it starts, and the last millisecond before it in the one before', async () => {
    const { violations } = ctx().stores;
    await violations.record([
      violation({ traceId: 'edge-1', detectedAt: T0 + 2 * HOUR - 1, severity: 'low' }),
      violation({ traceId: 'edge-2', detectedAt: T0 + 2 * HOUR, severity: 'high' }),
      violation({ traceId: 'edge-3', detectedAt: T0 + 4 * HOUR - 0.25, severity: 'info' }),
      violation({ traceId: 'edge-4', detectedAt: T0 + 4 * HOUR, severity: 'critical' }),
    ]);
    const stats = must(await violations.stats({ from: T0 + 30 * MINUTE, to: T0 + 4 * HOUR, bucketMs: 2 * HOUR }));
    expect(stats.total).toBe(3);
    expect(stats.buckets).toEqual([
      { start: T0, bySeverity: { ...zero, low: 1 } },
      { start: T0 + 2 * HOUR, bySeverity: { ...zero, high: 1, info: 1 } },
    ]);
  });

  it('counts a re-sent violation once', async () => {
    const { violations } = ctx().stores;
    const first = violation({ traceId: 'again', detectedAt: T0 + 3 * HOUR, trigger: [span('a', 'checkout')] });
    await violations.record([first, first]);
    await violations.record([first, violation({ traceId: 'again', detectedAt: T0 + 5 * HOUR, id: 'other-id' })]);
    const stats = must(await violations.stats({ from: T0, to: T0 + DAY, bucketMs: HOUR }));
    expect(stats.total).toBe(1);
    expect(stats.byService).toEqual([{ service: 'checkout', count: 1 }]);
  });

  it('moves a resolved violation from the open counts to the resolved ones', async () => {
    const { violations } = ctx().stores;
    const a = violation({ traceId: 'r-a', detectedAt: T0 + HOUR + 5 * MINUTE, trigger: [span('a', 'checkout')] });
    const b = violation({ traceId: 'r-b', detectedAt: T0 + 3 * HOUR, trigger: [span('a', 'payments')] });
    await violations.record([a, b]);
    expect(await violations.resolve([a.id, a.id], T0 + 4 * HOUR, 'late span')).toBe(1);
    expect(await violations.resolve([a.id], T0 + 5 * HOUR, 'again')).toBe(0);
    const q = (status: 'open' | 'resolved' | 'all'): ViolationStatsQuery => ({ from: T0, to: T0 + DAY, bucketMs: HOUR, filters: { status } });
    const open = must(await violations.stats(q('open')));
    expect([open.total, open.byService]).toEqual([1, [{ service: 'payments', count: 1 }]]);
    const resolved = must(await violations.stats(q('resolved')));
    expect([resolved.total, resolved.byService]).toEqual([1, [{ service: 'checkout', count: 1 }]]);
    expect(resolved.buckets[1]!.bySeverity.high).toBe(1);
    expect(must(await violations.stats(q('all'))).total).toBe(2);
  });

  it('stops counting what retention deleted, also in the hour it cut through', async () => {
    const { violations } = ctx().stores;
    await violations.record([
      violation({ traceId: 'old', detectedAt: T0 + 10 * MINUTE }),
      violation({ traceId: 'cut', detectedAt: T0 + HOUR + 10 * MINUTE, trigger: [span('a', 'cart')] }),
      violation({ traceId: 'kept', detectedAt: T0 + HOUR + 40 * MINUTE, trigger: [span('a', 'cart')] }),
    ]);
    expect(await violations.deleteDetectedBefore(T0 + HOUR + 30 * MINUTE)).toBe(2);
    const stats = must(await violations.stats({ from: T0, to: T0 + DAY, bucketMs: HOUR }));
    expect(stats.total).toBe(1);
    expect(stats.buckets.slice(0, 2).map((b) => b.bySeverity.high)).toEqual([0, 1]);
    expect(stats.byService).toEqual([{ service: 'cart', count: 1 }]);
    expect(stats.byRule.map((r) => r.count)).toEqual([1]);
  });

  it('agrees with a linear scan for every window, bucket width and filter', async () => {
    const { violations } = ctx().stores;
    const reference = new MemoryViolationStore();
    const both = async (f: (s: ViolationStore) => Promise<unknown>): Promise<void> => {
      const [got, want] = [await f(violations), await f(reference)];
      expect(got).toEqual(want);
    };
    const records = history();
    for (let i = 0; i < records.length; i += 40) await both((s) => s.record(records.slice(i, i + 40)));
    await both((s) => s.record(records.slice(0, 30)));
    await both((s) => s.resolve(records.filter((_, i) => i % 7 === 3).map((r) => r.id), T0 + 60 * HOUR, 'late span'));
    await both((s) => s.deleteDetectedBefore(T0 + 2 * HOUR + 17 * MINUTE));

    const windows: Array<[number, number]> = [
      [T0, T0 + 2 * DAY], [T0 + 90 * MINUTE, T0 + 40 * HOUR + 1], [T0 + 3 * HOUR, T0 + 4 * HOUR],
      [T0 + 5 * HOUR + 1, T0 + 5 * HOUR + 59 * MINUTE], [T0 - DAY, T0 + 3 * DAY + 0.5],
      // Partial hours at both ends, one ending just after the rules were renamed.
      [T0 + 2 * HOUR + 30 * MINUTE, T0 + 30 * HOUR + 45 * MINUTE], [T0 + 10 * MINUTE, T0 + 47 * HOUR + 20 * MINUTE],
    ];
    const filters: ViolationFilter[] = [
      {}, { ruleId: 'rule-2' }, { severity: 'critical' }, { severity: ['low', 'info'] }, { severity: [] }, { service: 'checkout' },
      { service: 'payments', ruleId: 'rule-1' }, { service: 'cart', severity: 'high', status: 'open' }, { status: 'open' },
      { status: 'resolved', ruleId: 'rule-0' }, { text: 'renamed' }, { traceId: 'trace-17' }, { ruleId: 'no-such-rule' },
    ];
    for (const [from, to] of windows) {
      for (const bucketMs of [HOUR, 2 * HOUR, 10 * MINUTE, DAY]) {
        if ((to - from) / bucketMs > 2000) continue;
        for (const f of filters) await both((s) => s.stats({ from, to, bucketMs, filters: f }));
      }
    }
  });
}

// Two days of violations from five rules (renamed half way), some citing several services or
// none, some recorded already resolved.
function history(): ViolationRecord[] {
  const services = ['checkout', 'payments', 'cart', ''];
  const severities: RuleSeverity[] = ['critical', 'high', 'medium', 'low', 'info'];
  const out: ViolationRecord[] = [];
  // mulberry32: deterministic, and unlike a plain LCG its low bits are usable with `%`.
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  for (let i = 0; i < 400; i++) {
    const rule = next(5);
    const detectedAt = T0 + next(48 * 60) * MINUTE + (next(4) === 0 ? 0 : next(60_000)) + (next(9) === 0 ? 0.5 : 0);
    const cited = [span('a', services[next(4)]!), ...(next(2) === 0 ? [span('b', services[next(4)]!)] : [])];
    out.push(violation({
      traceId: `trace-${i}`, ruleId: `rule-${rule}`, ruleName: detectedAt > T0 + 30 * HOUR ? `Rule ${rule} renamed` : `Rule ${rule}`,
      severity: severities[(rule + (next(6) === 0 ? 1 : 0)) % 5], detectedAt, trigger: cited.slice(0, 1), offending: cited.slice(1),
      ...(next(10) === 0 ? { resolvedAt: detectedAt + 1000, resolution: 'resolved on arrival' } : {}),
    }));
  }
  return out;
}
