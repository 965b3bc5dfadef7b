import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStores, hashApiKey } from '@betrace/store';
import { pino } from 'pino';
import { describe, expect, test } from 'vitest';
import { newApiKeySecret, randomBase62 } from './api-key-secret.ts';
import { Authenticator } from './authenticator.ts';
import { ensureAdminKey } from './bootstrap.ts';
import { keysCreate, keysList, keysRevoke } from './keys-cli.ts';
import { roleAllows } from './roles.ts';

const silent = pino({ level: 'silent' });

test('secrets: btk_ + 40 base62, hashed at rest, prefix is a short part of the secret', () => {
  const k = newApiKeySecret();
  expect(k.secret).toMatch(/^btk_[0-9A-Za-z]{40}$/);
  expect(k.hash).toBe(hashApiKey(k.secret));
  expect(k.prefix).toBe(k.secret.slice(0, 10));
  expect(newApiKeySecret().secret).not.toBe(k.secret);
  expect(new Set(randomBase62(5000)).size).toBe(62);
});

test.each([
  { role: 'viewer', needed: 'viewer', want: true },
  { role: 'viewer', needed: 'editor', want: false },
  { role: 'editor', needed: 'editor', want: true },
  { role: 'editor', needed: 'admin', want: false },
  { role: 'admin', needed: 'viewer', want: true },
] as const)('$role may act as $needed: $want', ({ role, needed, want }) => {
  expect(roleAllows(role, needed)).toBe(want);
});

test('lastUsedAt is written at most once a minute per key', async () => {
  const stores = new MemoryStores();
  const k = newApiKeySecret();
  await stores.apiKeys.create({ id: k.id, name: 'k', role: 'viewer', prefix: k.prefix, hash: k.hash }, 'test');
  let now = 1_000_000;
  const touches: number[] = [];
  const keys = { ...stores.apiKeys, findByHash: (h: string) => stores.apiKeys.findByHash(h), touch: async (_id: string, at: number) => void touches.push(at) };
  const auth = new Authenticator({ mode: 'apikey', keys: keys as never, now: () => now });
  const headers = { authorization: `Bearer ${k.secret}` };
  await auth.authorize(headers, 'viewer');
  now += 30_000;
  await auth.authorize(headers, 'viewer');
  now += 31_000;
  await auth.authorize(headers, 'viewer');
  expect(touches).toEqual([1_000_000, 1_061_000]);
});

describe('ensureAdminKey', () => {
  test('first start: creates an admin key, prints it once in a box (not in the logs); later starts do nothing', async () => {
    const stores = new MemoryStores();
    const printed: string[] = [];
    const logs: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void logs.push(l) });
    const secret = await ensureAdminKey(stores, logger, (t) => printed.push(t));
    expect(secret).toMatch(/^btk_/);
    expect(printed.join('')).toContain(secret);
    expect(printed.join('')).toContain('┌');
    expect(logs.join('')).not.toContain(secret);
    const [key] = await stores.apiKeys.list();
    expect(key).toMatchObject({ name: 'admin', role: 'admin', hash: hashApiKey(secret ?? '') });
    expect(await ensureAdminKey(stores, silent, (t) => printed.push(t))).toBeUndefined();
    expect(printed).toHaveLength(1);
  });
});

describe('keys CLI against a SQLite data dir', () => {
  test('create prints the secret on stdout, list shows it without the secret, revoke stops it (audited as cli)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'betrace-keys-'));
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
    expect(await keysCreate({ dataDir, name: 'ci', role: 'editor', actor: 'cli:tester' }, io)).toBe(0);
    const secret = out.pop() ?? '';
    expect(secret).toMatch(/^btk_[0-9A-Za-z]{40}$/);
    expect(await keysList({ dataDir, json: true }, io)).toBe(0);
    const listed = JSON.parse(out.pop() ?? '[]') as { id: string; name: string; role: string }[];
    expect(listed).toMatchObject([{ name: 'ci', role: 'editor' }]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(await keysRevoke({ dataDir, id: listed[0]?.id ?? '', actor: 'cli:tester' }, io)).toBe(0);
    expect(await keysRevoke({ dataDir, id: 'key_nope' }, io)).toBe(2);
    expect(await keysCreate({ dataDir, name: 'x', role: 'root' }, io)).toBe(2);
    expect(err.join('\n')).toContain('--role must be one of viewer, editor, admin');
  });
});
