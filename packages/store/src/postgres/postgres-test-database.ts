import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The server tests use, from `scripts/postgres.sh start`; undefined skips PostgreSQL tests. */
export const TEST_POSTGRES_URL: string | undefined = process.env.BETRACE_TEST_POSTGRES_URL || undefined;

/** A database made for one test file (or test), dropped with `drop()`. */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * Creates a fresh, empty database on the server `baseUrl` points at, so test runs (and files
 * running in parallel) never see each other's rows.
 */
export async function createTestDatabase(baseUrl: string, prefix = 'betrace_test'): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await admin(baseUrl, `CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    // FORCE: a test that failed may have left connections open.
    drop: () => admin(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function admin(baseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A PostgreSQL cluster of its own, for tests that stop and start the server. */
export interface TestCluster {
  url: string;
  stop(): void;
  start(): void;
  destroy(): void;
}

const SCRIPT = fileURLToPath(new URL('../../../../scripts/postgres.sh', import.meta.url));

/**
 * Creates and starts a throwaway cluster with `scripts/postgres.sh` in a temp directory. Stopping
 * the shared test server would break every other test file running in parallel; this one is
 * nobody else's.
 */
export function startTestCluster(): TestCluster {
  const dir = mkdtempSync(join(tmpdir(), 'betrace-pg-'));
  const run = (command: string): string =>
    execFileSync(SCRIPT, [command], { env: { ...process.env, BETRACE_PG_DIR: dir }, encoding: 'utf8' }).trim();
  const url = run('start');
  return {
    url,
    stop: () => void run('stop'),
    start: () => void run('start'),
    destroy: () => {
      run('destroy');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
