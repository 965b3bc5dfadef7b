import { createHash } from 'node:crypto';
import type { Result } from './result.ts';

/** What an API key may do: read; also change rules; also manage keys. */
export type ApiKeyRole = 'viewer' | 'editor' | 'admin';

/** An API key as stored: never the secret, only its hash. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: ApiKeyRole;
  /** The first characters of the secret, so people can tell keys apart. */
  prefix: string;
  /** `hashApiKey(secret)`: lowercase hex SHA-256. */
  hash: string;
  createdAt: number;
  lastUsedAt?: number;
  revokedAt?: number;
}

/** What a caller supplies to create a key. */
export type NewApiKey = Pick<ApiKeyRecord, 'id' | 'name' | 'role' | 'prefix' | 'hash'>;

/** API keys, hashed at rest. Creation and revocation are audited in the same transaction. */
export interface ApiKeyStore {
  /** Fails with `duplicate` on a used id or hash, `invalid` when the hash is not SHA-256 hex. */
  create(key: NewApiKey, actor: string): Promise<Result<ApiKeyRecord>>;
  /** The unrevoked key with this hash: a revoked key must not authenticate, so it is not found. */
  findByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  /** All keys, revoked ones included, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  /** Revokes a key; revoking a revoked key returns it unchanged. */
  revoke(id: string, actor: string): Promise<Result<ApiKeyRecord>>;
  /** Records use; never moves `lastUsedAt` backwards. Not audited (it is not a change). */
  touch(id: string, at: number): Promise<void>;
  /** How many unrevoked keys exist (zero means the server has not been set up yet). */
  count(): Promise<number>;
}

/**
 * The at-rest form of an API key secret. A plain hash (no salt or stretching) is enough because
 * secrets are long random strings, and a deterministic hash is what makes lookup by hash possible.
 */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isSha256Hex(text: string): boolean {
  return SHA256_HEX.test(text);
}
