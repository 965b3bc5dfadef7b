// The console's violation queries against PostgreSQL holding 10 million violations (30 days of
// 40 rules over 25 services), through the real adapter. Needs a server:
//   BETRACE_BENCH_POSTGRES_URL=$(scripts/postgres.sh start) npm run bench -- store-queries
// (BETRACE_TEST_POSTGRES_URL works too). The data goes into the database `betrace_bench`, which is
// kept: a second run with the same row count skips the fill. BENCH_VIOLATIONS changes the count.
import pg from 'pg';
import { PostgresStores, VIOLATION_ROLLUP_BACKFILL, violationId } from '@betrace/store';
import type { ViolationQuery, ViolationRecord, ViolationStatsQuery, ViolationStore } from '@betrace/store';
import { fmt } from './lib/measure.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const RULES = 40;
const SERVICES = ['checkout', 'payments', 'cart', 'inventory', 'shipping', 'auth', 'users', 'search', 'catalog', 'pricing',
  'orders', 'billing', 'fraud', 'email', 'notifications', 'gateway', 'frontend', 'recommendations', 'reviews', 'ads',
  'ledger', 'tax', 'currency', 'profile', 'llm-agent'];
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const RUNS = 25;
const FILL_BATCH = 500_000;

export async function benchStoreQueries(): Promise<string[]> {
  const base = process.env.BETRACE_BENCH_POSTGRES_URL || process.env.BETRACE_TEST_POSTGRES_URL;
  if (!base) return ['Skipped: set BETRACE_BENCH_POSTGRES_URL (e.g. `$(scripts/postgres.sh start)`).'];
  const total = Number(process.env.BENCH_VIOLATIONS ?? 10_000_000);
  const url = await ensureDatabase(base, 'betrace_bench', total);
  const opened = await PostgresStores.open(url);
  if (!opened.ok) throw new Error(opened.error.message);
  const stores = opened.value;
  const out: string[] = [];
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const now = Date.UTC(2025, 5, 30);
    const fill = await fillIfNeeded(client, total, now);
    const size = await client.query<{ table: string; index: string }>(`SELECT pg_size_pretty(pg_total_relation_size('violations') - pg_indexes_size('violations')) AS table,
      pg_size_pretty(pg_indexes_size('violations') + pg_total_relation_size('violation_services')) AS index`);
    out.push(fill, `Size: violations ${size.rows[0]?.table} of rows, ${size.rows[0]?.index} of indexes and service side table.`, '');

    const { violations } = stores;
    const someTrace = (await client.query<{ trace_id: string }>('SELECT trace_id FROM violations WHERE detected_at > $1 LIMIT 1', [now - DAY])).rows[0]!.trace_id;
    let page100Cursor: string | undefined;
    {
      let cursor: string | undefined;
      for (let i = 1; i < 100; i++) cursor = must(await violations.list({ limit: 50, ...(cursor ? { cursor } : {}) })).nextCursor;
      page100Cursor = cursor;
    }
    const lists: Array<[string, ViolationQuery]> = [
      ['first page, newest first (50)', {}],
      ['filter by rule (a common rule)', { ruleId: 'rule-03' }],
      ['filter by rule (a rare rule)', { ruleId: 'rule-39' }],
      ['filter by severity (critical)', { severity: 'critical' }],
      ['filter by severities (critical, high)', { severity: ['critical', 'high'] }],
      ['filter by service (payments)', { service: 'payments' }],
      ['filter by service (a rare one: llm-agent)', { service: 'llm-agent' }],
      ['filter by trace id', { traceId: someTrace }],
      ['status open, last 24 h', { status: 'open', from: now - DAY, to: now }],
      ['text search, common ("timeout")', { text: 'timeout' }],
      ['text search, rare ("über")', { text: 'über' }],
      ['rule + service + open', { ruleId: 'rule-03', service: 'checkout', status: 'open' }],
      ['page 100 via cursor', { limit: 50, ...(page100Cursor ? { cursor: page100Cursor } : {}) }],
    ];
    out.push(`| query (${fmt(total)} violations) | rows | p50 ms | p95 ms |`, '|---|---:|---:|---:|');
    for (const [name, q] of lists) {
      const { p50, p95, rows } = await time(async () => must(await violations.list(q)).items.length);
      out.push(`| list: ${name} | ${rows} | ${p50.toFixed(1)} | ${p95.toFixed(1)} |`);
    }
    const stats: Array<[string, ViolationStatsQuery]> = [
      ['stats: last 24 h, hourly buckets', { from: now - DAY, to: now, bucketMs: HOUR }],
      ['stats: last 7 d, hourly buckets', { from: now - 7 * DAY, to: now, bucketMs: HOUR }],
      ['stats: last 7 d, one service, 6-hour buckets', { from: now - 7 * DAY, to: now, bucketMs: 6 * HOUR, filters: { service: 'payments' } }],
      ['stats: last 30 d, daily buckets', { from: now - 30 * DAY, to: now, bucketMs: DAY }],
      // What the console asks for: ranges end now (not on an hour), so both ends are partial hours.
      ['stats: 24 h to now (unaligned), hourly', { from: now - DAY - 17 * 60_000, to: now - 17 * 60_000, bucketMs: HOUR }],
      ['stats: 24 h, one service, hourly', { from: now - DAY, to: now, bucketMs: HOUR, filters: { service: 'payments' } }],
      ['stats: 7 d (unaligned), one rule, 6-hour buckets', { from: now - 7 * DAY - 17 * 60_000, to: now - 17 * 60_000, bucketMs: 6 * HOUR, filters: { ruleId: 'rule-03' } }],
      ['stats: 7 d, severity critical, 6-hour buckets', { from: now - 7 * DAY, to: now, bucketMs: 6 * HOUR, filters: { severity: 'critical' } }],
      ['stats: 7 d, open only, 6-hour buckets', { from: now - 7 * DAY, to: now, bucketMs: 6 * HOUR, filters: { status: 'open' } }],
      ['stats: 30 d, one service, daily buckets', { from: now - 30 * DAY, to: now, bucketMs: DAY, filters: { service: 'payments' } }],
      ['stats: 30 d, rule + service, daily buckets', { from: now - 30 * DAY, to: now, bucketMs: DAY, filters: { ruleId: 'rule-03', service: 'checkout' } }],
      // Not kept per hour: counted from the rows (the 6 h range uses 10-minute buckets in the console).
      ['stats: 6 h, 10-minute buckets (rows)', { from: now - 6 * HOUR, to: now, bucketMs: 10 * 60_000 }],
      ['stats: 24 h, text "timeout" (rows)', { from: now - DAY, to: now, bucketMs: HOUR, filters: { text: 'timeout' } }],
    ];
    for (const [name, q] of stats) {
      const { p50, p95, rows } = await time(async () => must(await violations.stats(q)).total, slowBefore(name) ? 5 : RUNS);
      out.push(`| ${name} | ${fmt(rows)} counted | ${p50.toFixed(1)} | ${p95.toFixed(1)} |`);
    }
    out.push('', await benchInsert(violations, now));
  } finally {
    await client.end();
    await stores.close();
  }
  return out;
}

/**
 * Insert throughput through record() into the full table: batches of 500 new violations (what the
 * server's writer sends under load), dated before the generated month so that retention through
 * the adapter removes exactly them afterwards and the next run starts from the same database.
 */
async function benchInsert(violations: ViolationStore, now: number): Promise<string> {
  const batch = 500;
  const batches = 40;
  const base = now - 40 * DAY;
  const run = `${Date.now().toString(36)}-`;
  const perSecond: number[] = [];
  for (let b = 0; b < batches; b++) {
    const records: ViolationRecord[] = [];
    for (let i = 0; i < batch; i++) {
      const n = b * batch + i;
      const r = (n * 7) % RULES;
      const svc = SERVICES[r % SERVICES.length]!;
      const other = SERVICES[(n * 13) % SERVICES.length]!;
      const ruleId = `rule-${String(r).padStart(2, '0')}`;
      const traceId = `bench-insert-${run}${n}`;
      const at = base + n * 60;
      records.push({
        id: violationId(ruleId, traceId, ''), ruleId, ruleName: `Bench rule #${r}`, ruleVersion: 1,
        severity: SEVERITIES[r % 5] as ViolationRecord['severity'], traceId, boundSpanId: '',
        trigger: [{ spanId: `s${n}`, name: `POST /api/${svc}`, service: svc, attributes: { 'order_id': `ord-${n}` } }],
        offending: n % 2 === 0 ? [{ spanId: `o${n}`, name: 'db.query', service: other, attributes: {} }] : [],
        reason: 'missing: auth.check', detectedAt: at, traceStart: at - 1500, signature: 'x'.repeat(64),
      });
    }
    const start = performance.now();
    const outcome = await violations.record(records);
    perSecond.push(batch / ((performance.now() - start) / 1000));
    if (outcome.inserted !== batch) throw new Error(`expected ${batch} inserted, got ${outcome.inserted}`);
  }
  const deleteStart = performance.now();
  const deleted = await violations.deleteDetectedBefore(now - 31 * DAY);
  const deleteMs = performance.now() - deleteStart;
  perSecond.sort((a, b) => a - b);
  return `Insert: ${batches} batches of ${batch} through record(): median ${fmt(perSecond[batches >> 1]!)} violations/s `
    + `(slowest batch ${fmt(perSecond[0]!)}/s); retention deleted them (${fmt(deleted)}) in ${(deleteMs / 1000).toFixed(1)} s.`;
}

// Queries that took seconds before the rollups run 5 times, not 25.
function slowBefore(name: string): boolean {
  return name.includes('30 d') || name.includes('7 d');
}

async function time(f: () => Promise<number>, runs = RUNS): Promise<{ p50: number; p95: number; rows: number }> {
  let rows = await f(); // warm-up (plan cache, buffer cache)
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    rows = await f();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number): number => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), rows };
}

// Keeps the database of an earlier run with the same row count (filling takes minutes); anything
// else (another count, an interrupted fill) starts from a new database.
async function ensureDatabase(base: string, name: string, total: number): Promise<string> {
  const url = new URL(base);
  url.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount !== 0 && (await filled(url.toString())) === total) return url.toString();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return url.toString();
}

async function filled(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const done = await c.query("SELECT 1 FROM pg_tables WHERE tablename = 'bench_filled'");
    if (done.rowCount === 0) return -1;
    return Number((await c.query<{ n: string }>('SELECT n FROM bench_filled')).rows[0]?.n ?? -1);
  } finally {
    await c.end();
  }
}

/**
 * Generates the rows inside PostgreSQL (INSERT … SELECT generate_series), in batches of half a
 * million, with the secondary indexes dropped during the load and rebuilt after, as one would
 * for a bulk import. Rule popularity is skewed (a few rules make most violations); each violation
 * cites one to three services; 5 % are resolved.
 */
async function fillIfNeeded(c: pg.Client, total: number, now: number): Promise<string> {
  const have = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM violations')).rows[0]?.n);
  if (have === total) return `Fill: reused ${fmt(total)} violations from an earlier run.`;
  const indexes = (await c.query<{ indexname: string; indexdef: string }>(`SELECT indexname, indexdef FROM pg_indexes
    WHERE tablename IN ('violations', 'violation_services') AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'`)).rows;
  for (const i of indexes) await c.query(`DROP INDEX ${i.indexname}`);
  // Keys and the foreign key too: checking them row by row on random md5 ids is most of the cost.
  // Foreign key first (it depends on the primary key), restored last.
  const constraints = (await c.query<{ table: string; name: string; def: string }>(`SELECT conrelid::regclass::text AS table,
    conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
    WHERE conrelid IN ('violations'::regclass, 'violation_services'::regclass) AND contype IN ('p', 'u', 'f')
    ORDER BY contype = 'f' DESC`)).rows;
  for (const k of constraints) await c.query(`ALTER TABLE ${k.table} DROP CONSTRAINT ${k.name}`);
  const start = performance.now();
  const span = 30 * DAY;
  for (let from = 0; from < total; from += FILL_BATCH) {
    const to = Math.min(total, from + FILL_BATCH) - 1;
    await c.query(`
      WITH g AS (
        SELECT i, r, $3::double precision - (($4::bigint - 1 - i)::double precision * $5 / $4) - (hashint4(i) & 1023) AS at,
               (ARRAY[${SERVICES.map((s) => `'${s}'`).join(',')}])[1 + (r % ${SERVICES.length})] AS svc,
               (ARRAY[${SERVICES.map((s) => `'${s}'`).join(',')}])[1 + ((hashint4(i) & 2147483647) % ${SERVICES.length})] AS other
        FROM (SELECT i, floor(${RULES} * power(((hashint4(i * 7) & 2147483647) % 10000) / 10000.0, 2))::int AS r
              FROM generate_series($1::int, $2::int) i) x
      ), ins AS (
        INSERT INTO violations (id, rule_id, rule_name, rule_version, severity, trace_id, bound_span_id, trigger, offending,
                                reason, detected_at, trace_start, signature, resolved_at, resolution)
        SELECT md5('v' || i), 'rule-' || lpad(r::text, 2, '0'),
               (ARRAY['Payment needs auth', 'No PII in logs', 'Zahlung über Limit', 'Agent tool budget', 'Retry storm'])[1 + r % 5] || ' #' || r,
               1 + r % 3, (ARRAY[${SEVERITIES.map((s) => `'${s}'`).join(',')}])[1 + r % 5], md5('t' || i), '',
               json_build_array(json_build_object('spanId', left(md5('s' || i), 16), 'name', 'POST /api/' || svc, 'service', svc,
                 'attributes', json_build_object('http.status_code', 500 + r % 4, 'order_id', 'ord-' || i)))::text,
               CASE WHEN i % 2 = 0 THEN json_build_array(json_build_object('spanId', left(md5('o' || i), 16), 'name', 'db.query',
                 'service', other, 'attributes', json_build_object('db.system', 'postgresql')))::text ELSE '[]' END,
               CASE WHEN r % 4 = 0 THEN 'forbidden: http.timeout' ELSE 'missing: auth.check' END,
               at, at - 1500, encode(sha256(('sig' || i)::bytea), 'hex'),
               CASE WHEN i % 20 = 0 THEN at + 60000 END, CASE WHEN i % 20 = 0 THEN 'late span' END
        FROM g
      )
      -- The services the witnesses above cite (what the adapter's record() writes).
      INSERT INTO violation_services (violation_id, service, detected_at, rule_id)
      SELECT md5('v' || i), svc, at, 'rule-' || lpad(r::text, 2, '0') FROM g
      UNION ALL
      SELECT md5('v' || i), other, at, 'rule-' || lpad(r::text, 2, '0') FROM g WHERE i % 2 = 0 AND other <> svc
`, [from, to, now, total, span]);
  }
  const loaded = performance.now();
  await c.query('SET maintenance_work_mem = \'512MB\'');
  for (const k of [...constraints].reverse()) await c.query(`ALTER TABLE ${k.table} ADD CONSTRAINT ${k.name} ${k.def}`);
  for (const i of indexes) await c.query(i.indexdef);
  // The hourly counts record() keeps, computed once for the bulk load (as migration 4 does).
  await c.query('TRUNCATE violation_hours, violation_service_hours, violation_service_pairs');
  await c.query(VIOLATION_ROLLUP_BACKFILL);
  const indexed = performance.now();
  await c.query('VACUUM (ANALYZE) violations');
  await c.query('VACUUM (ANALYZE) violation_services');
  const done = performance.now();
  await c.query(`CREATE TABLE bench_filled AS SELECT ${total}::bigint AS n`);
  return `Fill: ${fmt(total)} violations generated in ${((loaded - start) / 1000).toFixed(0)} s (${fmt(total / ((loaded - start) / 1000))} rows/s), `
    + `${constraints.length} keys and ${indexes.length} secondary indexes rebuilt and the rollups filled in ${((indexed - loaded) / 1000).toFixed(0)} s, VACUUM ANALYZE ${((done - indexed) / 1000).toFixed(0)} s.`;
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
