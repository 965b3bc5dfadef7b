import type { Pool, PoolClient } from 'pg';
import { isSha256Hex } from '../api-key-store.ts';
import type { ApiKeyRecord, ApiKeyRole, ApiKeyStore, NewApiKey } from '../api-key-store.ts';
import { fail, ok } from '../result.ts';
import type { Result } from '../result.ts';
import { notFound } from '../rule-changes.ts';
import { appendAudit } from './postgres-audit-log.ts';
import { inTransaction } from './postgres-client.ts';

/** API keys in PostgreSQL; the secret never reaches the database, only its hash. */
export class PostgresApiKeyStore implements ApiKeyStore {
  #pool: Pool;
  #now: () => number;

  constructor(pool: Pool, now: () => number) {
    this.#pool = pool;
    this.#now = now;
  }

  async create(key: NewApiKey, actor: string): Promise<Result<ApiKeyRecord>> {
    if (!isSha256Hex(key.hash)) return fail('invalid', 'API key hash must be lowercase hex SHA-256 (use hashApiKey)');
    return inTransaction(this.#pool, async (c) => {
      // Serializes key creation across instances so the checks below cannot race.
      await c.query("SELECT pg_advisory_xact_lock(hashtextextended('betrace.api_keys', 0))");
      if (await getKey(c, key.id)) return fail('duplicate', `API key "${key.id}" already exists`);
      if ((await c.query('SELECT 1 FROM api_keys WHERE hash = $1', [key.hash])).rowCount) {
        return fail('duplicate', 'an API key with this hash already exists');
      }
      const createdAt = this.#now();
      await c.query('INSERT INTO api_keys (id, name, role, prefix, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        key.id, key.name, key.role, key.prefix, key.hash, createdAt,
      ]);
      await appendAudit(c, {
        at: createdAt,
        actor,
        action: 'key.create',
        target: key.id,
        changes: { name: { from: null, to: key.name }, role: { from: null, to: key.role }, prefix: { from: null, to: key.prefix } },
      });
      return ok((await getKey(c, key.id))!);
    });
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.#pool.query('SELECT * FROM api_keys WHERE hash = $1 AND revoked_at IS NULL', [hash]);
    return rows[0] && toKey(rows[0]);
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (await this.#pool.query('SELECT * FROM api_keys ORDER BY created_at, id')).rows.map(toKey);
  }

  async revoke(id: string, actor: string): Promise<Result<ApiKeyRecord>> {
    return inTransaction(this.#pool, async (c) => {
      const { rows } = await c.query('SELECT * FROM api_keys WHERE id = $1 FOR UPDATE', [id]);
      if (!rows[0]) return notFound('API key', id);
      const key = toKey(rows[0]);
      if (key.revokedAt !== undefined) return ok(key);
      const at = this.#now();
      await c.query('UPDATE api_keys SET revoked_at = $1 WHERE id = $2', [at, id]);
      await appendAudit(c, { at, actor, action: 'key.revoke', target: id, changes: { revokedAt: { from: null, to: at } } });
      return ok({ ...key, revokedAt: at });
    });
  }

  async touch(id: string, at: number): Promise<void> {
    // One conditional UPDATE: concurrent touches cannot move lastUsedAt backwards.
    await this.#pool.query('UPDATE api_keys SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)', [at, id]);
  }

  async count(): Promise<number> {
    return Number((await this.#pool.query('SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL')).rows[0]?.n ?? 0);
  }
}

async function getKey(c: PoolClient, id: string): Promise<ApiKeyRecord | undefined> {
  const { rows } = await c.query('SELECT * FROM api_keys WHERE id = $1', [id]);
  return rows[0] && toKey(rows[0]);
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
