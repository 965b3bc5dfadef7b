import { expect, test } from 'vitest';
import { buildTestApi } from '../testing/test-api.ts';

test('admin creates a key (secret shown once), it works for its role, is listed without secret or hash, and revoking stops it', async () => {
  const t = await buildTestApi();
  const created = await t.call('POST', '/api/v1/keys', { as: 'admin', body: { name: 'ci', role: 'editor' } });
  expect(created.statusCode).toBe(201);
  const key = created.json() as { id: string; secret: string; prefix: string; role: string };
  expect(key.secret).toMatch(/^btk_[0-9A-Za-z]{40}$/);
  expect(key.secret.startsWith(key.prefix)).toBe(true);
  expect((await t.call('POST', '/api/v1/rules', { as: { secret: key.secret }, body: { id: 'r', name: 'R', severity: 'low', condition: 'never { a }' } })).statusCode).toBe(201);
  expect((await t.call('GET', '/api/v1/keys', { as: { secret: key.secret } })).statusCode).toBe(403);

  const list = await t.call('GET', '/api/v1/keys');
  expect(list.body).not.toContain(key.secret);
  const listed = (list.json() as { items: Record<string, unknown>[] }).items.find((k) => k['id'] === key.id);
  expect(listed).toMatchObject({ name: 'ci', role: 'editor', revokedAt: null });
  expect(listed).not.toHaveProperty('hash');
  expect(listed).not.toHaveProperty('secret');

  const revoked = await t.call('DELETE', `/api/v1/keys/${key.id}`);
  expect(revoked.statusCode).toBe(200);
  expect((revoked.json() as { revokedAt: string | null }).revokedAt).not.toBeNull();
  expect((await t.call('GET', '/api/v1/rules', { as: { secret: key.secret } })).statusCode).toBe(401);

  const audit = await t.stores.audit.list({ target: key.id });
  const entries = audit.ok ? audit.value.items : [];
  expect(entries.map((e) => [e.action, e.actor])).toEqual([
    ['key.revoke', `key:admin-key/${t.keyIds.admin}`],
    ['key.create', `key:admin-key/${t.keyIds.admin}`],
  ]);
});

test('key endpoints: validation 400, unknown key 404, viewer/editor 403, GET /me says who I am', async () => {
  const t = await buildTestApi();
  expect((await t.call('POST', '/api/v1/keys', { body: { name: 'x', role: 'root' } })).statusCode).toBe(400);
  expect((await t.call('POST', '/api/v1/keys', { body: { name: '', role: 'viewer' } })).statusCode).toBe(400);
  expect((await t.call('DELETE', '/api/v1/keys/key_doesNotExist')).statusCode).toBe(404);
  expect((await t.call('DELETE', '/api/v1/keys/..%2Fx')).statusCode).toBe(400);
  expect((await t.call('DELETE', `/api/v1/keys/${t.keyIds.viewer}`, { as: 'editor' })).statusCode).toBe(403);
  expect((await t.call('GET', '/api/v1/me', { as: 'viewer' })).json()).toEqual({ id: t.keyIds.viewer, name: 'viewer-key', role: 'viewer', authEnabled: true });
});
