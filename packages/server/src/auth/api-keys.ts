import type { ApiKeyRecord, ApiKeyRole, Result, Stores } from '@betrace/store';
import { newApiKeySecret } from './api-key-secret.ts';

/** An API key as the API and the CLI show it: never the hash, never the secret. */
export interface ApiKeyView {
  id: string;
  name: string;
  role: ApiKeyRole;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function apiKeyView(k: ApiKeyRecord): ApiKeyView {
  const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
  return { id: k.id, name: k.name, role: k.role, prefix: k.prefix, createdAt: iso(k.createdAt) ?? '', lastUsedAt: iso(k.lastUsedAt), revokedAt: iso(k.revokedAt) };
}

/** Creates a key (audited by the store with `actor`); the secret is in the result and nowhere else. */
export async function createApiKey(
  stores: Pick<Stores, 'apiKeys'>, input: { name: string; role: ApiKeyRole }, actor: string,
): Promise<Result<{ key: ApiKeyView; secret: string }>> {
  const fresh = newApiKeySecret();
  const created = await stores.apiKeys.create({ id: fresh.id, name: input.name, role: input.role, prefix: fresh.prefix, hash: fresh.hash }, actor);
  if (!created.ok) return created;
  return { ok: true, value: { key: apiKeyView(created.value), secret: fresh.secret } };
}
