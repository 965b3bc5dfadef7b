import { isSha256Hex } from '../api-key-store.ts';
import type { ApiKeyRecord, ApiKeyStore, NewApiKey } from '../api-key-store.ts';
import { jsonCopy } from '../json-value.ts';
import { fail, ok } from '../result.ts';
import type { Result } from '../result.ts';
import { notFound } from '../rule-changes.ts';
import type { MemoryAuditLog } from './memory-audit-log.ts';

/** API keys in process memory. */
export class MemoryApiKeyStore implements ApiKeyStore {
  #keys = new Map<string, ApiKeyRecord>();
  #audit: MemoryAuditLog;
  #now: () => number;

  constructor(audit: MemoryAuditLog, now: () => number) {
    this.#audit = audit;
    this.#now = now;
  }

  async create(key: NewApiKey, actor: string): Promise<Result<ApiKeyRecord>> {
    if (!isSha256Hex(key.hash)) return fail('invalid', 'API key hash must be lowercase hex SHA-256 (use hashApiKey)');
    if (this.#keys.has(key.id)) return fail('duplicate', `API key "${key.id}" already exists`);
    if ([...this.#keys.values()].some((k) => k.hash === key.hash)) return fail('duplicate', 'an API key with this hash already exists');
    const record: ApiKeyRecord = { id: key.id, name: key.name, role: key.role, prefix: key.prefix, hash: key.hash, createdAt: this.#now() };
    this.#keys.set(key.id, record);
    this.#audit.appendSync({
      at: record.createdAt,
      actor,
      action: 'key.create',
      target: key.id,
      changes: { name: { from: null, to: key.name }, role: { from: null, to: key.role }, prefix: { from: null, to: key.prefix } },
    });
    return ok(jsonCopy(record));
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    for (const k of this.#keys.values()) if (k.hash === hash && k.revokedAt === undefined) return jsonCopy(k);
    return undefined;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return [...this.#keys.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).map(jsonCopy);
  }

  async revoke(id: string, actor: string): Promise<Result<ApiKeyRecord>> {
    const key = this.#keys.get(id);
    if (!key) return notFound('API key', id);
    if (key.revokedAt === undefined) {
      key.revokedAt = this.#now();
      this.#audit.appendSync({ at: key.revokedAt, actor, action: 'key.revoke', target: id, changes: { revokedAt: { from: null, to: key.revokedAt } } });
    }
    return ok(jsonCopy(key));
  }

  async touch(id: string, at: number): Promise<void> {
    const key = this.#keys.get(id);
    if (key && (key.lastUsedAt === undefined || at > key.lastUsedAt)) key.lastUsedAt = at;
  }

  async count(): Promise<number> {
    return [...this.#keys.values()].filter((k) => k.revokedAt === undefined).length;
  }
}
