import type { DatabaseSync } from 'node:sqlite';
import { isSha256Hex } from '../api-key-store.ts';
import type { ApiKeyRecord, ApiKeyRole, ApiKeyStore, NewApiKey } from '../api-key-store.ts';
import { fail, ok } from '../result.ts';
import type { Result } from '../result.ts';
import { notFound } from '../rule-changes.ts';
import { appendAudit } from './sqlite-audit-log.ts';
import { transaction } from './sqlite-database.ts';

/** API keys in SQLite; the secret never reaches the database, only its hash. */
export class SqliteApiKeyStore implements ApiKeyStore {
  #db: DatabaseSync;
  #now: () => number;

  constructor(db: DatabaseSync, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  async create(key: NewApiKey, actor: string): Promise<Result<ApiKeyRecord>> {
    if (!isSha256Hex(key.hash)) return fail('invalid', 'API key hash must be lowercase hex SHA-256 (use hashApiKey)');
    return transaction(this.#db, () => {
      if (this.#get(key.id)) return fail('duplicate', `API key "${key.id}" already exists`);
      if (this.#db.prepare('SELECT 1 FROM api_keys WHERE hash = ?').get(key.hash)) {
        return fail('duplicate', 'an API key with this hash already exists');
      }
      const createdAt = this.#now();
      this.#db
        .prepare('INSERT INTO api_keys (id, name, role, prefix, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(key.id, key.name, key.role, key.prefix, key.hash, createdAt);
      appendAudit(this.#db, {
        at: createdAt,
        actor,
        action: 'key.create',
        target: key.id,
        changes: { name: { from: null, to: key.name }, role: { from: null, to: key.role }, prefix: { from: null, to: key.prefix } },
      });
      return ok(this.#get(key.id)!);
    });
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const row = this.#db.prepare('SELECT * FROM api_keys WHERE hash = ? AND revoked_at IS NULL').get(hash);
    return row && toKey(row);
  }

  async list(): Promise<ApiKeyRecord[]> {
    return this.#db.prepare('SELECT * FROM api_keys ORDER BY created_at, id').all().map(toKey);
  }

  async revoke(id: string, actor: string): Promise<Result<ApiKeyRecord>> {
    return transaction(this.#db, () => {
      const key = this.#get(id);
      if (!key) return notFound('API key', id);
      if (key.revokedAt !== undefined) return ok(key);
      const at = this.#now();
      this.#db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ?').run(at, id);
      appendAudit(this.#db, { at, actor, action: 'key.revoke', target: id, changes: { revokedAt: { from: null, to: at } } });
      return ok({ ...key, revokedAt: at });
    });
  }

  async touch(id: string, at: number): Promise<void> {
    // One conditional UPDATE: concurrent touches cannot move lastUsedAt backwards.
    this.#db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)').run(at, id, at);
  }

  async count(): Promise<number> {
    return Number(this.#db.prepare('SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL').get()?.n ?? 0);
  }

  #get(id: string): ApiKeyRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id);
    return row && toKey(row);
  }
}

function toKey(row: Record<string, unknown>): ApiKeyRecord {
  const key: ApiKeyRecord = {
    id: String(row.id),
    name: String(row.name),
    role: row.role as ApiKeyRole,
    prefix: String(row.prefix),
    hash: String(row.hash),
    createdAt: Number(row.created_at),
  };
  if (row.last_used_at !== null) key.lastUsedAt = Number(row.last_used_at);
  if (row.revoked_at !== null) key.revokedAt = Number(row.revoked_at);
  return key;
}
