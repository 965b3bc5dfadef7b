import type { DatabaseSync } from 'node:sqlite';
import type { RuleSeverity } from '@betrace/engine';
import { decodeViolationCursor, encodeViolationCursor, pageLimit } from '../cursor.ts';
import type { ViolationCursor } from '../cursor.ts';
import { ok } from '../result.ts';
import type { Result } from '../result.ts';
import { normalizeFilter, witnessServices } from '../violation-filter.ts';
import type { ViolationRecord } from '../violation-record.ts';
import { byCountThenKey, statsSkeleton } from '../violation-stats.ts';
import type { RecordOutcome, ViolationPage, ViolationQuery, ViolationStats, ViolationStatsQuery, ViolationStore } from '../violation-store.ts';
import { transaction } from './sqlite-database.ts';
import { toViolation, VIOLATION_COLUMNS, violationRow, violationWhere } from './violation-sql.ts';

// Retention deletes in slices so a large backlog does not hold the write lock for long.
const DELETE_BATCH = 5000;

/** Violations in SQLite, with witness spans as JSON and their services in an indexed side table. */
export class SqliteViolationStore implements ViolationStore {
  #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  async record(records: readonly ViolationRecord[]): Promise<RecordOutcome> {
    const insert = this.#db.prepare(
      `INSERT INTO violations (${VIOLATION_COLUMNS.join(', ')}) VALUES (${VIOLATION_COLUMNS.map(() => '?').join(', ')})
       ON CONFLICT DO NOTHING`,
    );
    const service = this.#db.prepare('INSERT INTO violation_services (violation_id, service) VALUES (?, ?)');
    const inserted = transaction(this.#db, () => {
      let n = 0;
      for (const r of records) {
        // DO NOTHING on either unique key (id, natural key): the first record of a violation wins.
        if (Number(insert.run(...violationRow(r)).changes) === 0) continue;
        for (const s of witnessServices(r)) service.run(r.id, s);
        n++;
      }
      return n;
    });
    return { inserted, duplicates: records.length - inserted };
  }

  async resolve(ids: readonly string[], at: number, resolution: string): Promise<number> {
    const update = this.#db.prepare('UPDATE violations SET resolved_at = ?, resolution = ? WHERE id = ? AND resolved_at IS NULL');
    return transaction(this.#db, () => {
      let n = 0;
      for (const id of new Set(ids)) n += Number(update.run(at, resolution, id).changes);
      return n;
    });
  }

  async get(id: string): Promise<ViolationRecord | undefined> {
    const row = this.#db.prepare('SELECT * FROM violations WHERE id = ?').get(id);
    return row && toViolation(row);
  }

  async list(query: ViolationQuery): Promise<Result<ViolationPage>> {
    let cursor: ViolationCursor | undefined;
    if (query.cursor !== undefined) {
      const c = decodeViolationCursor(query.cursor);
      if (!c.ok) return c;
      cursor = c.value;
    }
    const limit = pageLimit(query.limit);
    const where = violationWhere(normalizeFilter(query), cursor);
    const rows = this.#db
      .prepare(`SELECT v.* FROM violations v WHERE ${where.sql} ORDER BY v.detected_at DESC, v.id DESC LIMIT :limit`)
      .all({ ...where.params, limit: limit + 1 });
    const items = rows.slice(0, limit).map(toViolation);
    const last = items.at(-1);
    if (rows.length > limit && last) return ok({ items, nextCursor: encodeViolationCursor(last) });
    return ok({ items });
  }

  async stats(query: ViolationStatsQuery): Promise<Result<ViolationStats>> {
    const skeleton = statsSkeleton(query);
    if (!skeleton.ok) return skeleton;
    const { stats, bucketIndex } = skeleton.value;
    const { sql, params } = violationWhere(normalizeFilter({ ...query.filters, from: query.from, to: query.to }));
    // One statement per grouping, in one read transaction so the numbers agree with each other.
    this.#db.exec('BEGIN');
    try {
      const cells = this.#db
        .prepare(`SELECT CAST(v.detected_at / :bucket AS INTEGER) AS k, v.severity, count(*) AS n
                  FROM violations v WHERE ${sql} GROUP BY k, v.severity`)
        .all({ ...params, bucket: query.bucketMs });
      for (const c of cells) {
        const severity = c.severity as RuleSeverity;
        const n = Number(c.n);
        stats.total += n;
        stats.bySeverity[severity] += n;
        stats.buckets[bucketIndex(Number(c.k) * query.bucketMs)]!.bySeverity[severity] += n;
      }
      // The name on each rule's newest violation: rules get renamed, and the newest name is current.
      stats.byRule = this.#db
        .prepare(`SELECT rule_id, rule_name, n FROM (
                    SELECT v.rule_id, v.rule_name, count(*) OVER (PARTITION BY v.rule_id) AS n,
                           row_number() OVER (PARTITION BY v.rule_id ORDER BY v.detected_at DESC, v.id DESC) AS rn
                    FROM violations v WHERE ${sql}) WHERE rn = 1`)
        .all(params)
        .map((r) => ({ ruleId: String(r.rule_id), ruleName: String(r.rule_name), count: Number(r.n) }))
        .sort(byCountThenKey((x) => x.ruleId));
      stats.byService = this.#db
        .prepare(`SELECT s.service, count(*) AS n FROM violation_services s JOIN violations v ON v.id = s.violation_id
                  WHERE ${sql} GROUP BY s.service`)
        .all(params)
        .map((r) => ({ service: String(r.service), count: Number(r.n) }))
        .sort(byCountThenKey((x) => x.service));
    } finally {
      this.#db.exec('COMMIT');
    }
    return ok(stats);
  }

  async deleteDetectedBefore(ms: number): Promise<number> {
    const slice = this.#db.prepare('DELETE FROM violations WHERE id IN (SELECT id FROM violations WHERE detected_at < ? LIMIT ?)');
    let total = 0;
    for (;;) {
      const n = Number(transaction(this.#db, () => slice.run(ms, DELETE_BATCH)).changes);
      total += n;
      if (n < DELETE_BATCH) return total;
    }
  }
}
