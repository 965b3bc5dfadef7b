import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MemoryStores } from './memory/memory-stores.ts';
import { openStore } from './open-store.ts';
import { SqliteStores } from './sqlite/sqlite-stores.ts';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'betrace-open-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('opens SQLite in the data directory by default, creating the directory', async () => {
  const dataDir = join(dir, 'nested', 'data');
  for (const url of [undefined, '', 'sqlite:']) {
    const r = await openStore(url, dataDir);
    expect(r.ok && r.value instanceof SqliteStores).toBe(true);
    if (r.ok) await r.value.close();
  }
  expect(existsSync(join(dataDir, 'betrace.db'))).toBe(true);
});

it('opens sqlite:<path> relative to the data directory', async () => {
  const r = await openStore('sqlite:sub/other.db', dir);
  expect(r.ok).toBe(true);
  if (r.ok) await r.value.close();
  expect(existsSync(join(dir, 'sub', 'other.db'))).toBe(true);
});

it('opens memory: in process memory and writes no file', async () => {
  const r = await openStore('memory:', dir);
  expect(r.ok && r.value instanceof MemoryStores).toBe(true);
  expect(existsSync(join(dir, 'betrace.db'))).toBe(false);
});

it('reports a PostgreSQL server that does not answer, with the password masked', async () => {
  const r = await openStore('postgresql://betrace:secret@127.0.0.1:1/betrace', dir);
  expect(r).toEqual({ ok: false, error: { code: 'open_failed', message: expect.stringContaining('postgresql://betrace:***@127.0.0.1:1/betrace') } });
  expect(r.ok ? '' : r.error.message).not.toContain('secret');
});

it('rejects an unknown scheme without echoing credentials', async () => {
  const r = await openStore('mysql://root:hunter2@db/x', dir);
  expect(r.ok ? '' : r.error.code).toBe('invalid');
  expect(r.ok ? '' : r.error.message).not.toContain('hunter2');
});

it('reports a data directory that cannot be created', async () => {
  const blocker = join(dir, 'file');
  writeFileSync(blocker, 'not a directory');
  const r = await openStore(undefined, join(blocker, 'data'));
  expect(r.ok ? '' : r.error.code).toBe('open_failed');
});
