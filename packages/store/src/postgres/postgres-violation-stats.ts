import type { RuleSeverity } from '@betrace/engine';
import type { PoolClient } from 'pg';
import type { NormalizedFilter } from '../violation-filter.ts';
import { byCountThenKey } from '../violation-stats.ts';
import type { ViolationStats } from '../violation-store.ts';
import { Params } from './postgres-client.ts';
import { HOUR_MS, hourAtOrAfter, hourOf } from './postgres-violation-rollups.ts';
import { violationSource, violationWhere } from './postgres-violation-sql.ts';

interface Statement {
  sql: string;
  values: unknown[];
}

/** Where each rule's newest matching violation is: the latest part of the window it appears in. */
interface RuleTally {
  count: number;
  lo: number;
  hi: number;
}

/**
 * Fills `stats` for the window `[f.from, f.to)`. Whole hours come from the rollups when every
 * filter is one they keep (rule, severity, service, status) and the buckets are whole hours; the
 * partial hours at either end, and every other request, are counted from the rows.
 */
export async function readStats(
  c: PoolClient, f: NormalizedFilter & { from: number; to: number }, bucketMs: number,
  stats: ViolationStats, bucketIndex: (at: number) => number,
): Promise<void> {
  const rules = new Map<string, RuleTally>();
  const services = new Map<string, number>();
  const cell = (at: number, severity: RuleSeverity, n: number): void => {
    stats.total += n;
    stats.bySeverity[severity] += n;
    stats.buckets[bucketIndex(at)]!.bySeverity[severity] += n;
  };
  // Parts are read oldest first, so a later part holds a rule's newer violations.
  const rule = (ruleId: string, n: number, lo: number, hi: number): void => {
    const t = rules.get(ruleId);
    if (t) Object.assign(t, { count: t.count + n, lo, hi });
    else rules.set(ruleId, { count: n, lo, hi });
  };
  const service = (name: string, n: number): void => void services.set(name, (services.get(name) ?? 0) + n);

  const rows = async (s: Statement): Promise<Record<string, unknown>[]> => (await c.query(s.sql, s.values)).rows;
  const raw = async (from: number, to: number): Promise<void> => {
    const part = { ...f, from, to };
    for (const r of await rows(rawCells(part, bucketMs))) cell(Number(r.k) * bucketMs, r.severity as RuleSeverity, Number(r.n));
    for (const r of await rows(rawRules(part))) rule(String(r.rule_id), Number(r.n), from, to);
    for (const r of await rows(rawServices(part))) service(String(r.service), Number(r.n));
  };

  const hours = rollupHours(f, bucketMs);
  if (!hours) {
    await raw(f.from, f.to);
  } else {
    const [a, b] = hours;
    if (f.from < a * HOUR_MS) await raw(f.from, a * HOUR_MS);
    const p = new Params();
    const { table, clauses } = rollupSource(f, p, a, b);
    for (const r of await c.query(`SELECT hour, severity, sum(n) AS n FROM ${table} WHERE ${clauses} GROUP BY hour, severity`, p.values).then((x) => x.rows)) {
      cell(Number(r.hour) * HOUR_MS, r.severity as RuleSeverity, Number(r.n));
    }
    const byRule = await c.query(`SELECT rule_id, sum(n) AS n, max(hour) AS last FROM ${table} WHERE ${clauses} AND n > 0 GROUP BY rule_id`, p.values);
    for (const r of byRule.rows) rule(String(r.rule_id), Number(r.n), Number(r.last) * HOUR_MS, (Number(r.last) + 1) * HOUR_MS);
    for (const r of await rows(rollupServices(f, a, b))) service(String(r.service), Number(r.n));
    if (b * HOUR_MS < f.to) await raw(b * HOUR_MS, f.to);
  }

  const names = new Map<string, string>();
  if (rules.size > 0) {
    for (const r of await rows(newestNames(f, rules))) names.set(String(r.rule_id), String(r.rule_name));
  }
  stats.byRule = [...rules]
    .map(([ruleId, t]) => ({ ruleId, ruleName: names.get(ruleId) ?? '', count: t.count }))
    .sort(byCountThenKey((x) => x.ruleId));
  stats.byService = [...services].map(([s, count]) => ({ service: s, count })).sort(byCountThenKey((x) => x.service));
}

/** The whole hours `[a, b)` inside the window that the rollups can count, if any. */
function rollupHours(f: NormalizedFilter & { from: number; to: number }, bucketMs: number): [number, number] | undefined {
  // Text and trace id are not kept per hour; buckets that split an hour cannot use hourly counts.
  if (f.text !== undefined || f.traceId !== undefined || bucketMs % HOUR_MS !== 0) return undefined;
  const a = hourAtOrAfter(f.from);
  const b = hourOf(f.to);
  return b > a ? [a, b] : undefined;
}

/** The rollup table for cells and rules, and the WHERE clause of a filter over hours `[a, b)`. */
function rollupSource(f: NormalizedFilter, p: Params, a: number, b: number): { table: string; clauses: string } {
  const clauses = [`hour >= ${p.add(a)}`, `hour < ${p.add(b)}`];
  let table = 'violation_hours';
  if (f.service !== undefined) {
    // A violation citing the service has exactly one pair of it with itself.
    table = 'violation_service_pairs';
    const s = p.add(f.service);
    clauses.push(`service = ${s}`, `co_service = ${s}`);
  }
  if (f.ruleId !== undefined) clauses.push(`rule_id = ${p.add(f.ruleId)}`);
  clauses.push(...severityAndStatus(f, p));
  return { table, clauses: clauses.join(' AND ') };
}

// A violation counts once for each service it cites; with a service filter, the services cited
// by the violations that cite it (the pairs).
function rollupServices(f: NormalizedFilter, a: number, b: number): Statement {
  const p = new Params();
  const clauses = [`hour >= ${p.add(a)}`, `hour < ${p.add(b)}`];
  let sql: (where: string) => string;
  if (f.service !== undefined) {
    clauses.push(`service = ${p.add(f.service)}`);
    sql = (w) => `SELECT co_service AS service, sum(n) AS n FROM violation_service_pairs WHERE ${w} GROUP BY co_service`;
  } else if (f.ruleId !== undefined) {
    clauses.push('service = co_service');
    sql = (w) => `SELECT service, sum(n) AS n FROM violation_service_pairs WHERE ${w} GROUP BY service`;
  } else {
    sql = (w) => `SELECT service, sum(n) AS n FROM violation_service_hours WHERE ${w} GROUP BY service`;
  }
  if (f.ruleId !== undefined) clauses.push(`rule_id = ${p.add(f.ruleId)}`);
  clauses.push(...severityAndStatus(f, p));
  return { sql: sql(clauses.join(' AND ')), values: p.values };
}

function severityAndStatus(f: NormalizedFilter, p: Params): string[] {
  const clauses: string[] = [];
  if (f.severities !== undefined) clauses.push(`severity = ANY(${p.add(f.severities)}::text[])`);
  if (f.status === 'open') clauses.push('NOT resolved');
  if (f.status === 'resolved') clauses.push('resolved');
  return clauses;
}

// floor(x / b) in double precision is Math.floor(x / b) in JavaScript: the same bucket for every row.
function rawCells(f: NormalizedFilter, bucketMs: number): Statement {
  const p = new Params();
  const { from, at } = violationSource(f);
  const where = violationWhere(f, p);
  return { sql: `SELECT floor(${at} / ${p.add(bucketMs)}::double precision)::bigint AS k, v.severity, count(*) AS n
                 FROM ${from} WHERE ${where} GROUP BY 1, 2`, values: p.values };
}

function rawRules(f: NormalizedFilter): Statement {
  const p = new Params();
  const { from } = violationSource(f);
  return { sql: `SELECT v.rule_id, count(*) AS n FROM ${from} WHERE ${violationWhere(f, p)} GROUP BY v.rule_id`, values: p.values };
}

// With nothing but the window, the side table alone answers (an index-only scan); other filters
// join the violation.
function rawServices(f: NormalizedFilter): Statement {
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

// The name on each rule's newest matching violation (rules get renamed), looked up only in the
// part of the window (at most an hour) where that violation is, through the rule's index.
function newestNames(f: NormalizedFilter, rules: ReadonlyMap<string, RuleTally>): Statement {
  const p = new Params();
  const { from, at, id } = violationSource(f);
  const where = violationWhere({ ...f, ruleId: undefined, from: undefined, to: undefined }, p);
  const ids = p.add([...rules.keys()]);
  const los = p.add([...rules.values()].map((t) => t.lo));
  const his = p.add([...rules.values()].map((t) => t.hi));
  return {
    sql: `SELECT r.rule_id, (SELECT v.rule_name FROM ${from}
            WHERE ${where} AND ${f.service === undefined ? 'v' : 's'}.rule_id = r.rule_id COLLATE "C" AND ${at} >= r.lo AND ${at} < r.hi
            ORDER BY ${at} DESC, ${id} DESC LIMIT 1) AS rule_name
          FROM unnest(${ids}::text[], ${los}::double precision[], ${his}::double precision[]) AS r(rule_id, lo, hi)`,
    values: p.values,
  };
}
