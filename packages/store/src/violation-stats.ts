import type { RuleSeverity } from '@betrace/engine';
import { fail, ok } from './result.ts';
import type { Result } from './result.ts';
import type { ViolationBucket, ViolationStats, ViolationStatsQuery } from './violation-store.ts';

/** Severities, most severe first (the order dashboards show them in). */
export const SEVERITIES: readonly RuleSeverity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Dashboards draw at most a few thousand points; more buckets is a mistake in the request. */
export const MAX_STATS_BUCKETS = 10_000;

export function zeroBySeverity(): Record<RuleSeverity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

/** Checks the window and returns the empty dense bucket list both adapters fill in. */
export function statsSkeleton(q: ViolationStatsQuery): Result<{ stats: ViolationStats; bucketIndex: (detectedAt: number) => number }> {
  if (!Number.isFinite(q.from) || !Number.isFinite(q.to) || q.to <= q.from) {
    return fail('invalid', `stats window must have from < to (got from=${q.from}, to=${q.to})`);
  }
  if (!Number.isSafeInteger(q.bucketMs) || q.bucketMs <= 0) {
    return fail('invalid', `bucketMs must be a positive whole number of milliseconds (got ${q.bucketMs})`);
  }
  const first = Math.floor(q.from / q.bucketMs) * q.bucketMs;
  const count = Math.ceil((q.to - first) / q.bucketMs);
  if (count > MAX_STATS_BUCKETS) {
    return fail('invalid', `window of ${q.to - q.from} ms in ${q.bucketMs} ms buckets makes ${count} buckets; at most ${MAX_STATS_BUCKETS} — use wider buckets`);
  }
  const buckets: ViolationBucket[] = [];
  for (let i = 0; i < count; i++) buckets.push({ start: first + i * q.bucketMs, bySeverity: zeroBySeverity() });
  const stats: ViolationStats = { total: 0, bySeverity: zeroBySeverity(), byRule: [], byService: [], buckets };
  return ok({ stats, bucketIndex: (detectedAt) => Math.floor(detectedAt / q.bucketMs) - first / q.bucketMs });
}

/** The order of `byRule` and `byService`: most first, ties by name so pages do not shuffle. */
export function byCountThenKey<T extends { count: number }>(key: (x: T) => string): (a: T, b: T) => number {
  return (a, b) => b.count - a.count || compareText(key(a), key(b));
}

/** Binary (code unit) order, which is also SQLite's default collation. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
