import type { RuleSeverity } from '@betrace/engine';
import type { Pool } from 'pg';
import { decodeViolationCursor, encodeViolationCursor, pageLimit } from '../cursor.ts';
import type { ViolationCursor } from '../cursor.ts';
import { ok } from '../result.ts';
import type { Result } from '../result.ts';
import { normalizeFilter, witnessServices } from '../violation-filter.ts';
import type { NormalizedFilter } from '../violation-filter.ts';
import type { ViolationRecord } from '../violation-record.ts';
import { byCountThenKey, statsSkeleton } from '../violation-stats.ts';
import type { RecordOutcome, ViolationPage, ViolationQuery, ViolationStats, ViolationStatsQuery, ViolationStore } from '../violation-store.ts';
import { inTransaction, Params, sqlState } from './postgres-client.ts';
import { toViolation, VIOLATION_COLUMNS, VIOLATION_TYPES, violationColumns, violationSource, violationWhere } from './postgres-violation-sql.ts';

// Retention deletes in slices so a large backlog never holds locks (or WAL) for long.
const DELETE_BATCH = 5000;
// Two instances writing overlapping batches can deadlock on the unique indexes despite the sorted
// order (a buggy id); PostgreSQL aborts one, which simply tries again.
const DEADLOCK_RETRIES = 3;

const INSERT_SQL = `INSERT INTO violations (${VIOLATION_COLUMNS.join(', ')})
  SELECT ${VIOLATION_COLUMNS.join(', ')} FROM unnest(${VIOLATION_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
    WITH ORDINALITY AS t(${VIOLATION_COLUMNS.join(', ')}, ord)
  ORDER BY ord
  ON CONFLICT DO NOTHING
  RETURNING id`;

/** Violations in PostgreSQL, with witness spans as JSON text and their services in a side table. */
export class PostgresViolationStore implements ViolationStore {
  #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async record(records: readonly ViolationRecord[]): Promise<RecordOutcome> {
    if (records.length === 0) return { inserted: 0, duplicates: 0 };
    // Every writer inserts in id order, so concurrent batches take index locks in the same order.
    // The sort is stable: within a batch the first record of a violation still wins.
    const sorted = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#insert(sorted);
      } catch (e) {
        if (sqlState(e) !== '40P01' || attempt >= DEADLOCK_RETRIES) throw e;
      }
    }
  }

  #insert(records: readonly ViolationRecord[]): Promise<RecordOutcome> {
    return inTransaction(this.#pool, async (c) => {
      // DO NOTHING on either unique key (id, natural key): an existing row is left as it is.
      const { rows } = await c.query<{ id: string }>(INSERT_SQL, violationColumns(records));
      const inserted = new Set(rows.map((r) => r.id));
      const ids: string[] = [];
      const services: string[] = [];
      const times: number[] = [];
      for (const r of records) {
        if (!inserted.delete(r.id)) continue;
        for (const s of witnessServices(r)) {
          ids.push(r.id);
          services.push(s);
          times.push(r.detectedAt);
        }
      }
      if (ids.length > 0) {
        await c.query(
          'INSERT INTO violation_services (violation_id, service, detected_at) SELECT * FROM unnest($1::text[], $2::text[], $3::double precision[])',
          [ids, services, times],
        );
      }
      return { inserted: rows.length, duplicates: records.length - rows.length };
    });
  }

  async resolve(ids: readonly string[], at: number, resolution: string): Promise<number> {
    if (ids.length === 0) return 0;
    const r = await this.#pool.query(
      'UPDATE violations SET resolved_at = $1, resolution = $2 WHERE id = ANY($3::text[]) AND resolved_at IS NULL',
      [at, resolution, [...new Set(ids)]],
    );
    return r.rowCount ?? 0;
  }

  async get(id: string): Promise<ViolationRecord | undefined> {
    const { rows } = await this.#pool.query('SELECT * FROM violations WHERE id = $1', [id]);
    return rows[0] && toViolation(rows[0]);
  }

  async list(query: ViolationQuery): Promise<Result<ViolationPage>> {
    let cursor: ViolationCursor | undefined;
    if (query.cursor !== undefined) {
      const c = decodeViolationCursor(query.cursor);
      if (!c.ok) return c;
      cursor = c.value;
    }
    const limit = pageLimit(query.limit);
    const filter = normalizeFilter(query);
    const p = new Params();
    const { from, at, id } = violationSource(filter);
    const where = violationWhere(filter, p, cursor);
    const { rows } = await this.#pool.query(
      `SELECT v.* FROM ${from} WHERE ${where} ORDER BY ${at} DESC, ${id} DESC LIMIT ${p.add(limit + 1)}`,
      p.values,
    );
    const items = rows.slice(0, limit).map(toViolation);
    const last = items.at(-1);
    if (rows.length > limit && last) return ok({ items, nextCursor: encodeViolationCursor(last) });
    return ok({ items });
  }

  async stats(query: ViolationStatsQuery): Promise<Result<ViolationStats>> {
    const skeleton = statsSkeleton(query);
    if (!skeleton.ok) return skeleton;
    const { stats, bucketIndex } = skeleton.value;
    const filter = normalizeFilter({ ...query.filters, from: query.from, to: query.to });
    // One snapshot for every grouping, so the numbers agree with each other.
    await inTransaction(this.#pool, async (c) => {
      const cells = byBucket(filter, query.bucketMs);
      for (const row of (await c.query(cells.sql, cells.values)).rows) {
        const severity = row.severity as RuleSeverity;
        const n = Number(row.n);
        stats.total += n;
        stats.bySeverity[severity] += n;
        stats.buckets[bucketIndex(Number(row.k) * query.bucketMs)]!.bySeverity[severity] += n;
      }
      const rules = byRule(filter);
      stats.byRule = (await c.query(rules.sql, rules.values)).rows
        .map((r) => ({ ruleId: String(r.rule_id), ruleName: String(r.rule_name), count: Number(r.n) }))
        .sort(byCountThenKey((x) => x.ruleId));
      const services = byService(filter);
      stats.byService = (await c.query(services.sql, services.values)).rows
        .map((r) => ({ service: String(r.service), count: Number(r.n) }))
        .sort(byCountThenKey((x) => x.service));
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    return ok(stats);
  }

  async deleteDetectedBefore(ms: number): Promise<number> {
    let total = 0;
    for (;;) {
      // Service rows go with their violation (ON DELETE CASCADE).
      const r = await this.#pool.query(
        'DELETE FROM violations WHERE id IN (SELECT id FROM violations WHERE detected_at < $1 LIMIT $2)',
        [ms, DELETE_BATCH],
      );
      const n = r.rowCount ?? 0;
      total += n;
      if (n < DELETE_BATCH) return total;
    }
  }
}

interface Statement {
  sql: string;
  values: unknown[];
}

// floor(x / b) in double precision is Math.floor(x / b) in JavaScript: the same bucket for every row.
function byBucket(f: NormalizedFilter, bucketMs: number): Statement {
  const p = new Params();
  const { from, at } = violationSource(f);
  const where = violationWhere(f, p);
  return { sql: `SELECT floor(${at} / ${p.add(bucketMs)}::double precision)::bigint AS k, v.severity, count(*) AS n
                 FROM ${from} WHERE ${where} GROUP BY 1, 2`, values: p.values };
}

// Counts per rule in one scan; then each rule's newest name through the (rule_id, detected_at)
// index: rules are few, violations many.
function byRule(f: NormalizedFilter): Statement {
  const p = new Params();
  const { from } = violationSource(f);
  const counts = `SELECT v.rule_id, count(*) AS n FROM ${from} WHERE ${violationWhere(f, p)} GROUP BY v.rule_id`;
  const { from: from2, at, id } = violationSource(f);
  const newest = `SELECT v.rule_name FROM ${from2} WHERE ${violationWhere(f, p)} AND v.rule_id = c.rule_id ORDER BY ${at} DESC, ${id} DESC LIMIT 1`;
  return { sql: `SELECT c.rule_id, c.n, (${newest}) AS rule_name FROM (${counts}) c`, values: p.values };
}

// A violation counts once per service it cites. With nothing but the window, the side table
// alone answers (an index-only scan); other filters join the violation.
function byService(f: NormalizedFilter): Statement {
  const p = new Params();
  const onlyWindow = f.ruleId === undefined && f.severities === undefined && f.service === undefined && f.traceId === undefined
    && f.text === undefined && f.status === 'all';
  if (onlyWindow) {
    const clauses = ['true'];
    if (f.from !== undefined) clauses.push(`detected_at >= ${p.add(f.from)}`);
    if (f.to !== undefined) clauses.push(`detected_at < ${p.add(f.to)}`);
    return { sql: `SELECT service, count(*) AS n FROM violation_services WHERE ${clauses.join(' AND ')} GROUP BY service`, values: p.values };
  }
  const { from } = violationSource(f);
  const matching = `SELECT v.id FROM ${from} WHERE ${violationWhere(f, p)}`;
  return {
    sql: `SELECT a.service, count(*) AS n FROM violation_services a WHERE a.violation_id IN (${matching}) GROUP BY a.service`,
    values: p.values,
  };
}
