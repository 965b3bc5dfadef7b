import pg from 'pg';
import type { PoolConfig } from 'pg';
import type { Migration } from '../sqlite/migrations.ts';
import { fail, ok } from '../result.ts';
import type { Result } from '../result.ts';
import type { StoreOptions, Stores } from '../stores.ts';
import { redactUrl } from './postgres-client.ts';
import { applyPostgresMigrations } from './postgres-migrations.ts';
import { PostgresApiKeyStore } from './postgres-api-key-store.ts';
import { PostgresAuditLog } from './postgres-audit-log.ts';
import { PostgresRuleStore } from './postgres-rule-store.ts';
import { PostgresRuleWatcher } from './postgres-rule-watcher.ts';
import { PostgresViolationStore } from './postgres-violation-store.ts';

/** How long readiness waits for PostgreSQL before calling it unavailable. */
const PING_TIMEOUT_MS = 2_000;

/** Options for PostgreSQL beyond the common ones. */
export interface PostgresStoreOptions extends StoreOptions {
  migrations?: readonly Migration[];
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

/**
 * Every port over one PostgreSQL database, shared by any number of BeTrace instances: rule changes
 * reach the others through LISTEN/NOTIFY, violations are idempotent on their natural key.
 */
export class PostgresStores implements Stores {
  readonly rules: PostgresRuleStore;
  readonly violations: PostgresViolationStore;
  readonly audit: PostgresAuditLog;
  readonly apiKeys: PostgresApiKeyStore;
  #pool: pg.Pool;
  #watcher: PostgresRuleWatcher;
  #closed = false;

  private constructor(pool: pg.Pool, config: PoolConfig, options: PostgresStoreOptions) {
    const now = options.now ?? Date.now;
    this.#pool = pool;
    this.rules = new PostgresRuleStore(pool, now);
    this.violations = new PostgresViolationStore(pool);
    this.audit = new PostgresAuditLog(pool);
    this.apiKeys = new PostgresApiKeyStore(pool, now);
    this.#watcher = new PostgresRuleWatcher(config, options.onError ?? (() => {}));
  }

  /** Connects, and brings the schema up to date (safe when several instances start at once). */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<Result<PostgresStores>> {
    const config: PoolConfig = {
      connectionString: url,
      max: options.poolSize ?? 10,
      // Fail a query instead of hanging when the server is unreachable; the recorder retries.
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: 'betrace',
    };
    const pool = new pg.Pool(config);
    // An idle connection that dies (server restart, network) is dropped by the pool; without a
    // listener the 'error' event would crash the process. The next query opens a new connection.
    pool.on('error', (e) => options.onError?.('a pooled PostgreSQL connection failed; it is replaced on next use', e));
    try {
      const migrated = await applyPostgresMigrations(pool, options.migrations);
      if (!migrated.ok) {
        await pool.end();
        return migrated;
      }
    } catch (e) {
      await pool.end().catch(() => {});
      return fail('open_failed', `cannot open PostgreSQL ${redactUrl(url)}: ${redactUrl(e instanceof Error ? e.message : String(e))}`);
    }
    return ok(new PostgresStores(pool, config, options));
  }

  async ping(): Promise<boolean> {
    if (this.#closed) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
    });
    const query = this.#pool.query('SELECT 1 AS one').then((r) => r.rows[0]?.one === 1, () => false);
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Calls `listener` when any instance changed a rule, and after the feed reconnects. */
  watchRules(listener: () => void): () => void {
    return this.#watcher.watch(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#watcher.close();
    await this.#pool.end();
  }
}
