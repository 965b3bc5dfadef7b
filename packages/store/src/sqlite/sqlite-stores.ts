import type { DatabaseSync } from 'node:sqlite';
import { fail, ok } from '../result.ts';
import type { Result } from '../result.ts';
import type { StoreOptions, Stores } from '../stores.ts';
import { applyMigrations } from './migrations.ts';
import type { Migration } from './migrations.ts';
import { SqliteApiKeyStore } from './sqlite-api-key-store.ts';
import { SqliteAuditLog } from './sqlite-audit-log.ts';
import { openDatabase } from './sqlite-database.ts';
import { SqliteRuleStore } from './sqlite-rule-store.ts';
import { SqliteViolationStore } from './sqlite-violation-store.ts';

/** Every port over one SQLite file: the embedded default, nothing to run beside BeTrace. */
export class SqliteStores implements Stores {
  readonly rules: SqliteRuleStore;
  readonly violations: SqliteViolationStore;
  readonly audit: SqliteAuditLog;
  readonly apiKeys: SqliteApiKeyStore;
  #db: DatabaseSync;

  private constructor(db: DatabaseSync, now: () => number) {
    this.#db = db;
    this.rules = new SqliteRuleStore(db, now);
    this.violations = new SqliteViolationStore(db);
    this.audit = new SqliteAuditLog(db);
    this.apiKeys = new SqliteApiKeyStore(db, now);
  }

  /** Opens or creates the file and brings its schema up to date. */
  static open(path: string, options: StoreOptions & { migrations?: readonly Migration[] } = {}): Result<SqliteStores> {
    let db: DatabaseSync;
    try {
      db = openDatabase(path);
    } catch (e) {
      return fail('open_failed', `cannot open SQLite database ${path}: ${message(e)}`);
    }
    try {
      const migrated = applyMigrations(db, options.migrations);
      if (!migrated.ok) {
        db.close();
        return migrated;
      }
    } catch (e) {
      db.close();
      return fail('open_failed', `cannot migrate SQLite database ${path}: ${message(e)}`);
    }
    return ok(new SqliteStores(db, options.now ?? Date.now));
  }

  async ping(): Promise<boolean> {
    try {
      return this.#db.prepare('SELECT 1 AS one').get()?.one === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
