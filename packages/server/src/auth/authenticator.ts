import { type ApiKeyRole, type ApiKeyStore, hashApiKey } from '@betrace/store';
import { type ApiFailure, failure } from '../api/errors.ts';
import { looksLikeApiKey } from './api-key-secret.ts';
import { ANONYMOUS, type Principal, keyActor, roleAllows } from './roles.ts';

const TOUCH_INTERVAL_MS = 60_000;

export interface AuthenticatorOptions {
  mode: 'apikey' | 'none';
  keys: ApiKeyStore;
  now?: () => number;
  /** Called when recording a key's last use fails (it never fails the request). */
  onTouchError?: (error: unknown) => void;
}

/**
 * Turns request headers into a principal and checks its role. Every request looks the key up in
 * the store, so a revoked key stops working at once; `lastUsedAt` is written at most once a
 * minute per key so reads do not turn into writes.
 */
export class Authenticator {
  private readonly options: AuthenticatorOptions;
  private readonly now: () => number;
  private readonly touched = new Map<string, number>();

  constructor(options: AuthenticatorOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  async authorize(headers: Readonly<Record<string, string | string[] | undefined>>, needed: ApiKeyRole): Promise<{ ok: true; principal: Principal } | { ok: false; failure: ApiFailure }> {
    if (this.options.mode === 'none') return { ok: true, principal: ANONYMOUS };
    const secret = presentedKey(headers);
    if (secret === undefined) {
      return { ok: false, failure: failure('unauthenticated', 'this endpoint needs an API key: send "Authorization: Bearer btk_…" (or "X-API-Key: btk_…")') };
    }
    const record = looksLikeApiKey(secret) ? await this.options.keys.findByHash(hashApiKey(secret)) : undefined;
    if (record === undefined) {
      return { ok: false, failure: failure('unauthenticated', 'the API key is unknown or revoked; create a new one with "betrace keys create" or POST /api/v1/keys') };
    }
    this.touch(record.id);
    if (!roleAllows(record.role, needed)) {
      return { ok: false, failure: failure('forbidden', `this endpoint needs the ${needed} role; API key "${record.name}" has the ${record.role} role`) };
    }
    return { ok: true, principal: { id: record.id, name: record.name, role: record.role, actor: keyActor(record) } };
  }

  private touch(id: string): void {
    const now = this.now();
    const last = this.touched.get(id);
    if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return;
    this.touched.set(id, now);
    this.options.keys.touch(id, now).catch((e: unknown) => this.options.onTouchError?.(e));
  }
}

function presentedKey(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const auth = headers['authorization'];
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header.trim() !== '') return header.trim();
  return undefined;
}
