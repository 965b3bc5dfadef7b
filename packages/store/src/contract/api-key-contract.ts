import { expect, it } from 'vitest';
import { hashApiKey } from '../api-key-store.ts';
import type { NewApiKey } from '../api-key-store.ts';
import { errorCode, must, T0 } from './fixtures.ts';
import type { ContractContext } from './fixtures.ts';

const KEY: NewApiKey = { id: 'k1', name: 'ci', role: 'editor', prefix: 'bt_abcd', hash: hashApiKey('bt_abcd-secret') };

/** API keys: creation, lookup by hash, revocation, use tracking, and their audit entries. */
export function apiKeyContract(ctx: () => ContractContext): void {
  it('creates a key, finds it by hash and counts it', async () => {
    const { stores, clock } = ctx();
    clock.set(T0 + 7);
    const key = must(await stores.apiKeys.create(KEY, 'admin-key'));
    expect(key).toEqual({ ...KEY, createdAt: T0 + 7 });
    expect(await stores.apiKeys.findByHash(KEY.hash)).toEqual(key);
    expect(await stores.apiKeys.findByHash(hashApiKey('other'))).toBeUndefined();
    expect(await stores.apiKeys.list()).toEqual([key]);
    expect(await stores.apiKeys.count()).toBe(1);
  });

  it('audits creation without the hash', async () => {
    const { stores } = ctx();
    must(await stores.apiKeys.create(KEY, 'admin-key'));
    const [entry] = must(await stores.audit.list({ target: 'k1' })).items;
    expect(entry).toMatchObject({ action: 'key.create', actor: 'admin-key', changes: { name: { from: null, to: 'ci' }, role: { from: null, to: 'editor' } } });
    expect(JSON.stringify(entry)).not.toContain(KEY.hash);
  });

  it('refuses a duplicate id or hash and a hash that is not SHA-256 hex', async () => {
    const { apiKeys } = ctx().stores;
    must(await apiKeys.create(KEY, 'a'));
    expect(errorCode(await apiKeys.create({ ...KEY, hash: hashApiKey('x') }, 'a'))).toBe('duplicate');
    expect(errorCode(await apiKeys.create({ ...KEY, id: 'k2' }, 'a'))).toBe('duplicate');
    expect(errorCode(await apiKeys.create({ ...KEY, id: 'k3', hash: 'bt_abcd-secret' }, 'a'))).toBe('invalid');
    expect(errorCode(await apiKeys.create({ ...KEY, id: 'k4', hash: KEY.hash.toUpperCase() }, 'a'))).toBe('invalid');
    expect(await apiKeys.count()).toBe(1);
  });

  it('revokes: the key stops authenticating but stays listed; revoking twice is harmless', async () => {
    const { stores, clock } = ctx();
    must(await stores.apiKeys.create(KEY, 'a'));
    must(await stores.apiKeys.create({ ...KEY, id: 'k2', hash: hashApiKey('two'), role: 'viewer' }, 'a'));
    clock.set(T0 + 50);
    expect(must(await stores.apiKeys.revoke('k1', 'admin'))).toMatchObject({ id: 'k1', revokedAt: T0 + 50 });
    expect(await stores.apiKeys.findByHash(KEY.hash)).toBeUndefined();
    expect(await stores.apiKeys.count()).toBe(1);
    expect((await stores.apiKeys.list()).map((k) => [k.id, k.revokedAt])).toEqual([['k1', T0 + 50], ['k2', undefined]]);
    clock.set(T0 + 60);
    expect(must(await stores.apiKeys.revoke('k1', 'admin')).revokedAt).toBe(T0 + 50);
    expect(errorCode(await stores.apiKeys.revoke('nope', 'admin'))).toBe('not_found');
    const entries = must(await stores.audit.list({ target: 'k1' })).items;
    expect(entries.map((e) => e.action)).toEqual(['key.revoke', 'key.create']);
    expect(entries[0]).toMatchObject({ actor: 'admin', at: T0 + 50, changes: { revokedAt: { from: null, to: T0 + 50 } } });
  });

  it('records last use, never moving it backwards', async () => {
    const { apiKeys } = ctx().stores;
    must(await apiKeys.create(KEY, 'a'));
    await apiKeys.touch('k1', T0 + 10);
    await apiKeys.touch('k1', T0 + 5);
    expect((await apiKeys.findByHash(KEY.hash))?.lastUsedAt).toBe(T0 + 10);
    await apiKeys.touch('nope', T0);
    expect(must(await ctx().stores.audit.list({})).items).toHaveLength(1);
  });

  it('lists keys oldest first', async () => {
    const { stores, clock } = ctx();
    clock.set(T0 + 2);
    must(await stores.apiKeys.create({ ...KEY, id: 'b', hash: hashApiKey('b') }, 'a'));
    clock.set(T0 + 1);
    must(await stores.apiKeys.create({ ...KEY, id: 'c', hash: hashApiKey('c') }, 'a'));
    must(await stores.apiKeys.create({ ...KEY, id: 'a', hash: hashApiKey('a') }, 'a'));
    expect((await stores.apiKeys.list()).map((k) => k.id)).toEqual(['a', 'c', 'b']);
  });
}
