import type { RuleSeverity } from '@betrace/engine';
import type { PoolClient } from 'pg';

/** The rollups count violations per hour; stats use them for whole hours of a window. */
export const HOUR_MS = 3_600_000;

/**
 * The hour `at` falls in, exactly: `h * HOUR_MS <= at < (h + 1) * HOUR_MS`. Division may round up
 * just below an hour boundary; a row counted in an hour must never also match a raw query that
 * stops at that hour's start. The SQL function betrace_hour (migration 4) is the same computation.
 */
export function hourOf(at: number): number {
  const h = Math.floor(at / HOUR_MS);
  return h * HOUR_MS > at ? h - 1 : h;
}

/** The first whole hour starting at or after `at`. */
export function hourAtOrAfter(at: number): number {
  const h = hourOf(at);
  return h * HOUR_MS < at ? h + 1 : h;
}

/**
 * Fills the (empty) rollup tables from the violations: migration 4 on an existing database, and
 * bulk loads that bypass the adapter (the store-queries benchmark).
 */
export const VIOLATION_ROLLUP_BACKFILL = `
  INSERT INTO violation_hours (hour, rule_id, severity, resolved, n)
    SELECT betrace_hour(detected_at), rule_id, severity, resolved_at IS NOT NULL, count(*)
    FROM violations GROUP BY 1, 2, 3, 4;
  INSERT INTO violation_service_hours (hour, service, severity, resolved, n)
    SELECT betrace_hour(v.detected_at), s.service, v.severity, v.resolved_at IS NOT NULL, count(*)
    FROM violation_services s JOIN violations v ON v.id = s.violation_id GROUP BY 1, 2, 3, 4;
  INSERT INTO violation_service_pairs (service, co_service, hour, rule_id, severity, resolved, n)
    SELECT a.service, b.service, betrace_hour(v.detected_at), v.rule_id, v.severity, v.resolved_at IS NOT NULL, count(*)
    FROM violation_services a JOIN violation_services b ON b.violation_id = a.violation_id
      JOIN violations v ON v.id = a.violation_id
    GROUP BY 1, 2, 3, 4, 5, 6;
`;

/** What one violation contributes to the rollups. */
export interface RollupRow {
  ruleId: string;
  severity: RuleSeverity;
  detectedAt: number;
  resolved: boolean;
  /** The services it cites, each once (witnessServices). */
  services: readonly string[];
}

interface Table {
  name: string;
  columns: readonly string[];
  types: readonly string[];
  deltas: Map<string, number>;
}

/**
 * Count changes to the three rollup tables, summed per key, written in the transaction that
 * changed the violations:
 * - violation_hours (hour, rule_id, severity, resolved): totals, buckets and rules;
 * - violation_service_hours (hour, service, severity, resolved): services, unfiltered;
 * - violation_service_pairs (service, co_service, hour, rule_id, severity, resolved): for each
 *   service a violation cites, every service it cites (itself included), so a service filter
 *   still counts the other services those violations cite, as the raw query does.
 */
export class RollupDeltas {
  #tables: Table[] = [
    { name: 'violation_hours', columns: ['hour', 'rule_id', 'severity', 'resolved'], types: ['bigint', 'text', 'text', 'boolean'], deltas: new Map() },
    { name: 'violation_service_hours', columns: ['hour', 'service', 'severity', 'resolved'], types: ['bigint', 'text', 'text', 'boolean'], deltas: new Map() },
    {
      name: 'violation_service_pairs',
      columns: ['service', 'co_service', 'hour', 'rule_id', 'severity', 'resolved'],
      types: ['text', 'text', 'bigint', 'text', 'text', 'boolean'],
      deltas: new Map(),
    },
  ];

  add(v: RollupRow, sign: 1 | -1): void {
    const [hours, services, pairs] = this.#tables;
    const hour = hourOf(v.detectedAt);
    bump(hours!, [hour, v.ruleId, v.severity, v.resolved], sign);
    for (const s of v.services) {
      bump(services!, [hour, s, v.severity, v.resolved], sign);
      for (const co of v.services) bump(pairs!, [s, co, hour, v.ruleId, v.severity, v.resolved], sign);
    }
  }

  /**
   * Adds the deltas, in key order so concurrent writers lock rollup rows in the same order, and
   * removes rows that reach zero (retention would otherwise leave every past hour behind).
   */
  async apply(c: PoolClient): Promise<void> {
    for (const t of this.#tables) {
      const rows = [...t.deltas].filter(([, n]) => n !== 0);
      if (rows.length === 0) continue;
      const cols: unknown[][] = [...t.columns.map(() => [] as unknown[]), []];
      for (const [key, n] of rows) {
        (JSON.parse(key) as unknown[]).forEach((v, i) => cols[i]!.push(v));
        cols[t.columns.length]!.push(n);
      }
      const keys = t.columns.join(', ');
      // The key columns are COLLATE "C": compare and order the parameters the same way.
      const typed = t.columns.map((k, i) => (t.types[i] === 'text' ? `${k} COLLATE "C"` : k)).join(', ');
      const unnest = `unnest(${[...t.types, 'bigint'].map((type, i) => `$${i + 1}::${type}[]`).join(', ')}) AS d(${keys}, n)`;
      const { rows: zero } = await c.query<Record<string, unknown>>(
        `INSERT INTO ${t.name} AS t (${keys}, n) SELECT ${typed}, n FROM ${unnest} ORDER BY ${typed}
         ON CONFLICT (${keys}) DO UPDATE SET n = t.n + EXCLUDED.n RETURNING ${keys}, n`,
        cols,
      );
      const gone = zero.filter((r) => Number(r.n) === 0);
      if (gone.length === 0) continue;
      const zeroCols = t.columns.map((k) => gone.map((r) => r[k]));
      await c.query(
        `DELETE FROM ${t.name} WHERE n = 0 AND (${keys}) IN (
           SELECT ${typed} FROM unnest(${t.types.map((type, i) => `$${i + 1}::${type}[]`).join(', ')}) AS d(${keys}))`,
        zeroCols,
      );
    }
  }
}

function bump(t: Table, key: unknown[], n: number): void {
  const k = JSON.stringify(key);
  t.deltas.set(k, (t.deltas.get(k) ?? 0) + n);
}
