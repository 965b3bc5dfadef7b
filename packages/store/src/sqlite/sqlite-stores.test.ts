import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../api-key-store.ts';
import { must, T0, violation } from '../contract/fixtures.ts';
import type { Result } from '../result.ts';
import { SQLITE_MIGRATIONS } from './migrations.ts';
import type { Migration } from './migrations.ts';
import { SqliteStores } from './sqlite-stores.ts';

let dir: string;
let file: string;
const open: SqliteStores[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'betrace-sqlite-'));
  file = join(dir, 'betrace.db');
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

function openFile(options: { migrations?: readonly Migration[] } = {}): Result<SqliteStores> {
  const r = SqliteStores.open(file, { now: () => T0, ...options });
  if (r.ok) open.push(r.value);
  return r;
}

function appliedVersions(): number[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return db.prepare('SELECT version FROM schema_migrations ORDER BY version').all().map((r) => Number(r.version));
  } finally {
    db.close();
  }
}

describe('SqliteStores on disk', () => {
  it('sees everything again after a restart', async () => {
    const first = must(openFile());
    const rule = must(await first.rules.create({ id: 'r', name: 'R', severity: 'high', condition: 'when { a } always { b }' }, 'alice'));
    const v2 = must(await first.rules.update('r', { name: 'R2' }, 'bob'));
    const record = violation({ ruleId: 'r' });
    await first.violations.record([record]);
    await first.violations.resolve([record.id], T0 + 1, 'late span');
    const key = must(await first.apiKeys.create({ id: 'k', name: 'ci', role: 'admin', prefix: 'bt_x', hash: hashApiKey('s') }, 'alice'));
    const audit = must(await first.audit.list({})).items;
    await first.close();

    const second = must(openFile());
    expect(await second.rules.get('r')).toEqual(v2);
    expect(await second.rules.history('r')).toEqual([v2, rule]);
    expect(await second.violations.get(record.id)).toEqual({ ...record, resolvedAt: T0 + 1, resolution: 'late span' });
    // Idempotency survives the restart: the natural key is in the file, not in memory.
    expect(await second.violations.record([record])).toEqual({ inserted: 0, duplicates: 1 });
    expect(must(await second.violations.list({ service: 'checkout' })).items).toHaveLength(1);
    expect(await second.apiKeys.findByHash(hashApiKey('s'))).toEqual(key);
    expect(must(await second.audit.list({})).items).toEqual(audit);
    expect(appliedVersions()).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
  });

  it('reports ping false once closed, and close twice is harmless', async () => {
    const stores = must(openFile());
    expect(await stores.ping()).toBe(true);
    await stores.close();
    await stores.close();
    expect(await stores.ping()).toBe(false);
  });

  it('writes a rule change and its audit entry together or not at all', async () => {
    const stores = must(openFile());
    must(await stores.rules.create({ id: 'r', name: 'R', severity: 'high', condition: 'when { a } always { b }' }, 'alice'));
    // Make the audit insert fail from outside; the rule change must roll back with it.
    const raw = new DatabaseSync(file);
    raw.exec(`CREATE TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END`);
    raw.close();
    await expect(stores.rules.update('r', { name: 'changed' }, 'bob')).rejects.toThrow(/audit unavailable/);
    await expect(stores.rules.delete('r', 'bob')).rejects.toThrow(/audit unavailable/);
    expect((await stores.rules.get('r'))?.name).toBe('R');
    expect(await stores.rules.history('r')).toHaveLength(1);
    await expect(stores.apiKeys.create({ id: 'k', name: 'n', role: 'viewer', prefix: 'p', hash: hashApiKey('k') }, 'a')).rejects.toThrow();
    expect(await stores.apiKeys.count()).toBe(0);
  });
});

describe('SQLite migrations', () => {
  it('brings a database from an older version up to date, keeping its data', async () => {
    const old = must(openFile({ migrations: SQLITE_MIGRATIONS.slice(0, 1) }));
    must(await old.rules.create({ id: 'r', name: 'R', severity: 'low', condition: 'when { a } always { b }' }, 'alice'));
    await old.close();
    expect(appliedVersions()).toEqual([1]);

    const current = must(openFile());
    expect(appliedVersions()).toEqual([1, 2, 3]);
    expect((await current.rules.get('r'))?.name).toBe('R');
    expect(await current.violations.record([violation()])).toEqual({ inserted: 1, duplicates: 0 });
    must(await current.apiKeys.create({ id: 'k', name: 'n', role: 'viewer', prefix: 'p', hash: hashApiKey('k') }, 'a'));
  });

  it('applies nothing twice', async () => {
    await must(openFile()).close();
    const raw = new DatabaseSync(file);
    const before = raw.prepare('SELECT * FROM schema_migrations').all();
    raw.close();
    await must(openFile()).close();
    const again = new DatabaseSync(file);
    expect(again.prepare('SELECT * FROM schema_migrations').all()).toEqual(before);
    again.close();
  });

  it('rolls back a failing migration and leaves the version where it was', async () => {
    const broken: Migration = { version: 99, name: 'broken', sql: 'CREATE TABLE half (a TEXT); INSERT INTO no_such_table VALUES (1);' };
    const r = openFile({ migrations: [...SQLITE_MIGRATIONS, broken] });
    expect(r.ok ? '' : r.error.code).toBe('open_failed');
    expect(r.ok ? '' : r.error.message).toContain('no_such_table');
    expect(appliedVersions()).toEqual([1, 2, 3]);
    const raw = new DatabaseSync(file);
    expect(raw.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).get()).toBeUndefined();
    raw.close();
    must(openFile());
  });

  it('refuses a database written by a newer BeTrace', async () => {
    const future: Migration = { version: 4, name: 'future', sql: 'CREATE TABLE future (a TEXT);' };
    await must(openFile({ migrations: [...SQLITE_MIGRATIONS, future] })).close();
    const r = openFile();
    expect(r.ok ? '' : r.error.code).toBe('open_failed');
    expect(r.ok ? '' : r.error.message).toMatch(/schema version 4.*upgrade BeTrace/);
  });

  it('reports a path it cannot open, or a file that is not a database, as open_failed', () => {
    const missing = SqliteStores.open(join(dir, 'missing-dir', 'x.db'));
    expect(missing.ok ? '' : missing.error.code).toBe('open_failed');
    writeFileSync(file, 'x'.repeat(4096));
    const garbage = SqliteStores.open(file);
    expect(garbage.ok ? '' : garbage.error.message).toMatch(/cannot open SQLite database .*not a database/);
  });
});
