import { mkdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { MemoryStores } from './memory/memory-stores.ts';
import { fail, ok } from './result.ts';
import type { Result } from './result.ts';
import { redactUrl } from './postgres/postgres-client.ts';
import { PostgresStores } from './postgres/postgres-stores.ts';
import { SqliteStores } from './sqlite/sqlite-stores.ts';
import type { StoreOptions, Stores } from './stores.ts';

/** The database file name inside the data directory. */
export const SQLITE_FILE_NAME = 'betrace.db';

/**
 * Opens the stores a URL names:
 * - undefined or `sqlite:` → `<dataDir>/betrace.db` (the directory is created);
 *   `sqlite:<path>` → that file (relative paths are inside `dataDir`);
 * - `memory:` → in process memory (lost on exit);
 * - `postgres://…` / `postgresql://…` → that PostgreSQL database (migrated on open; may be shared
 *   by several instances).
 */
export async function openStore(url: string | undefined, dataDir: string, options: StoreOptions = {}): Promise<Result<Stores>> {
  const spec = url?.trim() || 'sqlite:';
  if (spec === 'memory:') return ok(new MemoryStores(options));
  if (spec.startsWith('postgres://') || spec.startsWith('postgresql://')) {
    return PostgresStores.open(spec, options);
  }
  if (spec.startsWith('sqlite:')) {
    const given = spec.slice('sqlite:'.length);
    const path = given === '' ? join(dataDir, SQLITE_FILE_NAME) : isAbsolute(given) ? given : join(dataDir, given);
    try {
      mkdirSync(given === '' ? dataDir : join(path, '..'), { recursive: true });
    } catch (e) {
      return fail('open_failed', `cannot create data directory for ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return SqliteStores.open(path, options);
  }
  // A URL may carry a password (postgres://user:secret@host); never echo it into logs.
  return fail('invalid', `store URL "${redactUrl(spec)}" is not supported; use sqlite:, sqlite:<path>, memory: or postgres://…`);
}
