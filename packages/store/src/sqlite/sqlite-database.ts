import { DatabaseSync } from 'node:sqlite';
import { containsFolded } from '../violation-filter.ts';

/** Opens (creating if needed) a database file with the settings every adapter relies on. */
export function openDatabase(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  try {
    // WAL: readers (the API) do not block the writer (ingest), and commits are cheaper.
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    // Another process (a CLI next to the server) may hold the write lock for a moment.
    db.exec('PRAGMA busy_timeout = 5000');
    // SQLite's lower() folds ASCII only; this keeps text search identical to the memory adapter.
    db.function('betrace_contains', { deterministic: true }, (haystack, needle) =>
      typeof haystack === 'string' && typeof needle === 'string' && containsFolded(haystack, needle) ? 1 : 0,
    );
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/**
 * Runs `fn` in a write transaction. IMMEDIATE takes the write lock up front, so two processes
 * cannot both read a rule's version and then both write the next one.
 */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  }
}
