import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { must, T0, violation } from '../contract/fixtures.ts';
import type { ViolationRecord } from '../violation-record.ts';
import { openStore } from '../open-store.ts';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.ts';
import { PostgresStores } from './postgres-stores.ts';
import { createTestDatabase, startTestCluster, TEST_POSTGRES_URL } from './postgres-test-database.ts';
import type { TestCluster, TestDatabase } from './postgres-test-database.ts';

// Needs a PostgreSQL server: `export BETRACE_TEST_POSTGRES_URL=$(scripts/postgres.sh start)`.
// .ci/run installs PostgreSQL and sets the variable, so CI always runs these.
if (!TEST_POSTGRES_URL) console.log('skipping PostgreSQL adapter tests: BETRACE_TEST_POSTGRES_URL is not set (see scripts/postgres.sh)');

const RULE = { id: 'r', name: 'R', severity: 'high', condition: 'when { a } always { b }' } as const;

describe.skipIf(!TEST_POSTGRES_URL)('PostgresStores', () => {
  let db: TestDatabase;
  const opened: PostgresStores[] = [];
  beforeEach(async () => {
    db = await createTestDatabase(TEST_POSTGRES_URL!);
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    await db.drop();
  });

  async function open(url = db.url): Promise<PostgresStores> {
    const s = must(await PostgresStores.open(url, { now: () => T0 }));
    opened.push(s);
    return s;
  }

  async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query<T>(text, values)).rows;
    } finally {
      await c.end();
    }
  }

  it('migrates once when two instances start at the same time', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    const applied = await sql<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(applied.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    must(await a.rules.create(RULE, 'alice'));
    expect((await b.rules.get('r'))?.name).toBe('R');
  });

  it('refuses a database migrated by a newer BeTrace', async () => {
    await open();
    await sql("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')");
    const r = await PostgresStores.open(db.url);
    expect(r.ok ? '' : r.error.message).toContain('schema version 999');
  });

  it('records each violation once when two instances insert the same ones concurrently', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    const records: ViolationRecord[] = [];
    for (let i = 0; i < 2000; i++) records.push(violation({ traceId: `t${i}`, detectedAt: T0 + i }));
    // Overlapping batches in opposite orders: the situation that deadlocks without sorted inserts.
    const batches = [records.slice(0, 1500), [...records.slice(500)].reverse(), records.slice(250, 1750), [...records].reverse()];
    const outcomes = await Promise.all(batches.map((batch, i) => (i % 2 === 0 ? a : b).violations.record(batch)));
    expect(outcomes.reduce((n, o) => n + o.inserted, 0)).toBe(2000);
    expect(outcomes.reduce((n, o) => n + o.inserted + o.duplicates, 0)).toBe(batches.flat().length);
    const counts = await sql<{ v: string; s: string }>('SELECT (SELECT count(*) FROM violations) AS v, (SELECT count(*) FROM violation_services) AS s');
    expect(counts).toEqual([{ v: '2000', s: '2000' }]);
  });

  it('tells other instances about rule changes, committed ones only', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    let seen = 0;
    const stop = b.watchRules(() => void seen++);
    await expect.poll(() => seen).toBe(1); // the feed's first connection
    must(await a.rules.create(RULE, 'alice'));
    await expect.poll(() => seen).toBe(2);
    // Nothing committed, nothing sent: a conflict and a no-op change.
    await a.rules.update('r', { name: 'X' }, 'bob', { expectedVersion: 9 });
    await a.rules.update('r', { name: 'R' }, 'bob');
    must(await a.rules.delete('r', 'bob'));
    await expect.poll(() => seen).toBe(3);
    stop();
    must(await a.rules.create(RULE, 'alice'));
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toBe(3);
  });

  it('writes a rule change and its audit entry together or not at all', async () => {
    const stores = await open();
    must(await stores.rules.create(RULE, 'alice'));
    await sql(`CREATE FUNCTION no_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit unavailable'; END $$`);
    await sql('CREATE TRIGGER no_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION no_audit()');
    await expect(stores.rules.update('r', { name: 'changed' }, 'bob')).rejects.toThrow(/audit unavailable/);
    expect((await stores.rules.get('r'))?.version).toBe(1);
    expect(await stores.rules.history('r')).toHaveLength(1);
  });

  it('opens through openStore and keeps passwords out of errors', async () => {
    const r = await openStore(db.url, '/nonexistent');
    expect(r.ok && r.value instanceof PostgresStores).toBe(true);
    if (r.ok) await r.value.close();
    const bad = await openStore('postgres://betrace:hunter2@127.0.0.1:1/betrace', '/nonexistent');
    expect(bad.ok ? '' : bad.error.code).toBe('open_failed');
    expect(bad.ok ? '' : bad.error.message).toContain('postgres://betrace:***@127.0.0.1:1/betrace');
    expect(bad.ok ? '' : bad.error.message).not.toContain('hunter2');
  });
});

describe.skipIf(!TEST_POSTGRES_URL)('PostgresStores when the server restarts', () => {
  let cluster: TestCluster;
  afterAll(() => cluster?.destroy());

  it('answers ping false while down, then reconnects: queries, writes and the rule feed work again', { timeout: 60_000 }, async () => {
    cluster = startTestCluster();
    const errors: string[] = [];
    const a = must(await PostgresStores.open(cluster.url, { onError: (m) => void errors.push(m) }));
    const b = must(await PostgresStores.open(cluster.url, { onError: (m) => void errors.push(m) }));
    try {
      let reloads = 0;
      b.watchRules(() => void reloads++);
      await expect.poll(() => reloads).toBe(1);
      await a.violations.record([violation({ traceId: 'before' })]);

      cluster.stop();
      expect(await a.ping()).toBe(false);
      await expect(a.violations.record([violation({ traceId: 'while-down' })])).rejects.toThrow();

      cluster.start();
      await expect.poll(() => a.ping(), { timeout: 10_000 }).toBe(true);
      expect(await a.violations.record([violation({ traceId: 'while-down' }), violation({ traceId: 'before' })])).toEqual({ inserted: 1, duplicates: 1 });
      // The feed reconnected and asked for a full reload (notifications while down are lost).
      await expect.poll(() => reloads, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
      const afterReconnect = reloads;
      must(await a.rules.create(RULE, 'alice'));
      await expect.poll(() => reloads, { timeout: 5_000 }).toBeGreaterThan(afterReconnect);
      expect(errors.some((m) => m.includes('rule-change listener'))).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
