import type { RuleSeverity } from '@betrace/engine';
import type { Pool } from 'pg';
import { decodeViolationCursor, encodeViolationCursor, pageLimit } from '../cursor.ts';
import type { ViolationCursor } from '../cursor.ts';
import { ok } from '../result.ts';
import type { Result } from '../result.ts';
import { normalizeFilter, witnessServices } from '../violation-filter.ts';
import type { ViolationRecord } from '../violation-record.ts';
import { statsSkeleton } from '../violation-stats.ts';
import type { RecordOutcome, ViolationPage, ViolationQuery, ViolationStats, ViolationStatsQuery, ViolationStore } from '../violation-store.ts';
import { inTransaction, Params, sqlState } from './postgres-client.ts';
import { RollupDeltas } from './postgres-violation-rollups.ts';
import type { RollupRow } from './postgres-violation-rollups.ts';
import { toViolation, VIOLATION_COLUMNS, VIOLATION_TYPES, violationColumns, violationSource, violationWhere } from './postgres-violation-sql.ts';
import { readStats } from './postgres-violation-stats.ts';

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
      const ruleIds: string[] = [];
      // Only rows this statement inserted count: a re-sent violation must not be counted twice.
      const rollups = new RollupDeltas();
      for (const r of records) {
        if (!inserted.delete(r.id)) continue;
        const cited = witnessServices(r);
        for (const s of cited) {
          ids.push(r.id);
          services.push(s);
          times.push(r.detectedAt);
          ruleIds.push(r.ruleId);
        }
        rollups.add({ ruleId: r.ruleId, severity: r.severity, detectedAt: r.detectedAt, resolved: r.resolvedAt !== undefined, services: cited }, 1);
      }
      if (ids.length > 0) {
        await c.query(
          `INSERT INTO violation_services (violation_id, service, detected_at, rule_id)
           SELECT * FROM unnest($1::text[], $2::text[], $3::double precision[], $4::text[])`,
          [ids, services, times, ruleIds],
        );
      }
      await rollups.apply(c);
      return { inserted: rows.length, duplicates: records.length - rows.length };
    });
  }

  async resolve(ids: readonly string[], at: number, resolution: string): Promise<number> {
    if (ids.length === 0) return 0;
    return inTransaction(this.#pool, async (c) => {
      const { rows } = await c.query<ChangedRow>(
        `WITH changed AS (
           UPDATE violations SET resolved_at = $1, resolution = $2 WHERE id = ANY($3::text[]) AND resolved_at IS NULL
           RETURNING id, rule_id, severity, detected_at)
         ${CHANGED_WITH_SERVICES}`,
        [at, resolution, [...new Set(ids)]],
      );
      // A resolved violation moves from the open counts to the resolved ones.
      const rollups = new RollupDeltas();
      for (const r of rows) {
        rollups.add(rollupRow(r, false), -1);
        rollups.add(rollupRow(r, true), 1);
      }
      await rollups.apply(c);
      return rows.length;
    });
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
    const filter = { ...normalizeFilter({ ...query.filters, from: query.from, to: query.to }), from: query.from, to: query.to };
    // One snapshot for every grouping (and for rollups and rows), so the numbers agree with each other.
    await inTransaction(this.#pool, (c) => readStats(c, filter, query.bucketMs, stats, bucketIndex), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    return ok(stats);
  }

  async deleteDetectedBefore(ms: number): Promise<number> {
    let total = 0;
    for (;;) {
      // Service rows go with their violation (ON DELETE CASCADE) at the end of the statement, so
      // the statement still reads them for the rollups.
      const n = await inTransaction(this.#pool, async (c) => {
        const { rows } = await c.query<ChangedRow & { resolved: boolean }>(
          `WITH changed AS (
             DELETE FROM violations WHERE id IN (SELECT id FROM violations WHERE detected_at < $1 LIMIT $2)
             RETURNING id, rule_id, severity, detected_at, resolved_at IS NOT NULL AS resolved)
           ${CHANGED_WITH_SERVICES}`,
          [ms, DELETE_BATCH],
        );
        const rollups = new RollupDeltas();
        for (const r of rows) rollups.add(rollupRow(r, r.resolved), -1);
        await rollups.apply(c);
        return rows.length;
      });
      total += n;
      if (n < DELETE_BATCH) return total;
    }
  }
}

// The rows a statement changed (CTE `changed`), each with the services it cites.
const CHANGED_WITH_SERVICES = `SELECT c.*, coalesce((SELECT array_agg(s.service) FROM violation_services s WHERE s.violation_id = c.id), '{}') AS services
  FROM changed c`;

interface ChangedRow {
  rule_id: string;
  severity: RuleSeverity;
  detected_at: number;
  services: string[];
}

function rollupRow(r: ChangedRow, resolved: boolean): RollupRow {
  return { ruleId: r.rule_id, severity: r.severity, detectedAt: Number(r.detected_at), resolved, services: r.services };
}
