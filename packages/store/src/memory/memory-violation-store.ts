import { decodeViolationCursor, encodeViolationCursor, pageLimit } from '../cursor.ts';
import { jsonCopy } from '../json-value.ts';
import { ok } from '../result.ts';
import type { Result } from '../result.ts';
import { matchesFilter, normalizeFilter, witnessServices } from '../violation-filter.ts';
import type { ViolationRecord } from '../violation-record.ts';
import { byCountThenKey, statsSkeleton } from '../violation-stats.ts';
import type { RecordOutcome, ViolationPage, ViolationQuery, ViolationStats, ViolationStatsQuery, ViolationStore } from '../violation-store.ts';

/** Violations in process memory: a linear scan, which is what unit tests need and no more. */
export class MemoryViolationStore implements ViolationStore {
  #byId = new Map<string, ViolationRecord>();
  // The natural key is unique on its own, as the SQL adapters' UNIQUE constraint makes it.
  #byKey = new Set<string>();

  async record(records: readonly ViolationRecord[]): Promise<RecordOutcome> {
    let inserted = 0;
    for (const r of records) {
      const key = naturalKey(r);
      if (this.#byId.has(r.id) || this.#byKey.has(key)) continue;
      this.#byId.set(r.id, jsonCopy(r));
      this.#byKey.add(key);
      inserted++;
    }
    return { inserted, duplicates: records.length - inserted };
  }

  async resolve(ids: readonly string[], at: number, resolution: string): Promise<number> {
    let changed = 0;
    for (const id of new Set(ids)) {
      const r = this.#byId.get(id);
      if (!r || r.resolvedAt !== undefined) continue;
      r.resolvedAt = at;
      r.resolution = resolution;
      changed++;
    }
    return changed;
  }

  async get(id: string): Promise<ViolationRecord | undefined> {
    const r = this.#byId.get(id);
    return r && jsonCopy(r);
  }

  async list(query: ViolationQuery): Promise<Result<ViolationPage>> {
    const filter = normalizeFilter(query);
    const limit = pageLimit(query.limit);
    let after: ((r: ViolationRecord) => boolean) | undefined;
    if (query.cursor !== undefined) {
      const c = decodeViolationCursor(query.cursor);
      if (!c.ok) return c;
      const { detectedAt, id } = c.value;
      after = (r) => r.detectedAt < detectedAt || (r.detectedAt === detectedAt && r.id < id);
    }
    const rows = [...this.#byId.values()]
      .filter((r) => matchesFilter(r, filter) && (!after || after(r)))
      .sort(newestFirst);
    const items = rows.slice(0, limit).map(jsonCopy);
    const last = items.at(-1);
    if (rows.length > limit && last) return ok({ items, nextCursor: encodeViolationCursor(last) });
    return ok({ items });
  }

  async stats(query: ViolationStatsQuery): Promise<Result<ViolationStats>> {
    const skeleton = statsSkeleton(query);
    if (!skeleton.ok) return skeleton;
    const { stats, bucketIndex } = skeleton.value;
    const filter = normalizeFilter({ ...query.filters, from: query.from, to: query.to });
    const rules = new Map<string, { ruleId: string; ruleName: string; count: number; newest: ViolationRecord }>();
    const services = new Map<string, number>();
    for (const r of this.#byId.values()) {
      if (!matchesFilter(r, filter)) continue;
      stats.total++;
      stats.bySeverity[r.severity]++;
      stats.buckets[bucketIndex(r.detectedAt)]!.bySeverity[r.severity]++;
      const rule = rules.get(r.ruleId);
      if (!rule) rules.set(r.ruleId, { ruleId: r.ruleId, ruleName: r.ruleName, count: 1, newest: r });
      else {
        rule.count++;
        // The newest violation carries the rule's current name (rules get renamed).
        if (newestFirst(r, rule.newest) < 0) Object.assign(rule, { newest: r, ruleName: r.ruleName });
      }
      for (const s of witnessServices(r)) services.set(s, (services.get(s) ?? 0) + 1);
    }
    stats.byRule = [...rules.values()].map(({ ruleId, ruleName, count }) => ({ ruleId, ruleName, count })).sort(byCountThenKey((x) => x.ruleId));
    stats.byService = [...services].map(([service, count]) => ({ service, count })).sort(byCountThenKey((x) => x.service));
    return ok(stats);
  }

  async deleteDetectedBefore(ms: number): Promise<number> {
    let deleted = 0;
    for (const [id, r] of this.#byId) {
      if (r.detectedAt >= ms) continue;
      this.#byId.delete(id);
      this.#byKey.delete(naturalKey(r));
      deleted++;
    }
    return deleted;
  }
}

function naturalKey(r: ViolationRecord): string {
  return JSON.stringify([r.ruleId, r.traceId, r.boundSpanId]);
}

/** Newest first by detectedAt, then id descending: the order of pages and of the cursor. */
function newestFirst(a: ViolationRecord, b: ViolationRecord): number {
  return b.detectedAt - a.detectedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
