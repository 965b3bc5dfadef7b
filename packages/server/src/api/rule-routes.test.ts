import { describe, expect, test } from 'vitest';
import { buildTestApi } from '../testing/test-api.ts';

const RULE = { id: 'fraud-checked', name: 'Fraud checked', severity: 'high', tags: ['payments'], condition: 'when { payment.charge } always { fraud.check }' };

interface RuleBody { id: string; version: number; enabled: boolean; name: string; updatedBy: string; source: string }

describe('rule CRUD', () => {
  test('create, get, list, update, enable/disable, delete — each a version with an audit entry naming the key', async () => {
    const t = await buildTestApi();
    const created = await t.call('POST', '/api/v1/rules', { as: 'editor', body: RULE });
    expect(created.statusCode).toBe(201);
    expect(created.headers['location']).toBe('/api/v1/rules/fraud-checked');
    expect(created.json()).toMatchObject({ ...RULE, description: '', enabled: true, version: 1, source: 'api', updatedBy: `key:editor-key/${t.keyIds.editor}` });
    expect(t.ctx.rules.active.map((r) => r.stored.id)).toEqual(['fraud-checked']);

    const got = await t.call('GET', '/api/v1/rules/fraud-checked', { as: 'viewer' });
    expect(got.headers['etag']).toBe('"1"');
    expect((await t.call('GET', '/api/v1/rules', { as: 'viewer' })).json()).toMatchObject({ items: [{ id: 'fraud-checked' }] });

    const updated = await t.call('PUT', '/api/v1/rules/fraud-checked', { as: 'editor', body: { name: 'Renamed', version: 1 } });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ name: 'Renamed', version: 2, condition: RULE.condition });

    const disabled = await t.call('POST', '/api/v1/rules/fraud-checked/disable', { as: 'editor' });
    expect(disabled.json()).toMatchObject({ enabled: false, version: 3 });
    expect(t.ctx.rules.active).toEqual([]);
    expect((await t.call('POST', '/api/v1/rules/fraud-checked/enable', { as: 'editor', body: { version: 3 } })).json()).toMatchObject({ enabled: true, version: 4 });

    const deleted = await t.call('DELETE', '/api/v1/rules/fraud-checked', { as: 'editor' });
    expect(deleted.statusCode).toBe(200);
    expect((await t.call('GET', '/api/v1/rules/fraud-checked')).statusCode).toBe(404);
    expect(t.ctx.rules.active).toEqual([]);

    const versions = (await t.call('GET', '/api/v1/rules/fraud-checked/versions', { as: 'viewer' })).json() as { items: RuleBody[] };
    expect(versions.items.map((v) => v.version)).toEqual([4, 3, 2, 1]);

    const audit = (await t.call('GET', '/api/v1/audit?target=fraud-checked', { as: 'viewer' })).json() as { items: { action: string; actor: string; at: string; changes: Record<string, unknown> }[] };
    expect(audit.items.map((a) => a.action)).toEqual(['rule.delete', 'rule.enable', 'rule.disable', 'rule.update', 'rule.create']);
    expect(new Set(audit.items.map((a) => a.actor))).toEqual(new Set([`key:editor-key/${t.keyIds.editor}`]));
    expect(audit.items[3]?.changes).toMatchObject({ name: { from: 'Fraud checked', to: 'Renamed' } });
    expect(audit.items[0]?.at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  test('an update that changes nothing keeps the version and writes no audit entry', async () => {
    const t = await buildTestApi();
    await t.call('POST', '/api/v1/rules', { body: RULE });
    const same = await t.call('PUT', '/api/v1/rules/fraud-checked', { body: { name: RULE.name } });
    expect(same.json()).toMatchObject({ version: 1 });
    const audit = await t.stores.audit.list({ target: 'fraud-checked' });
    expect(audit.ok && audit.value.items.length).toBe(1);
  });

  test('a condition with errors is refused with diagnostics (ranges, byte ranges, line/column, hint)', async () => {
    const t = await buildTestApi();
    const r = await t.call('POST', '/api/v1/rules', { body: { ...RULE, condition: 'when { a.where(x == "é") }\nalway { fraud.check }' } });
    expect(r.statusCode).toBe(400);
    const e = r.json() as { error: { code: string; message: string; details: { diagnostics: { code: string; range: { start: number; end: number }; byteRange: { start: number }; start: { line: number; column: number }; hint?: string }[] } } };
    expect(e.error.code).toBe('invalid_request');
    const d = e.error.details.diagnostics.find((x) => x.code === 'unknown_block');
    expect(d).toMatchObject({ range: { start: 27, end: 32 }, byteRange: { start: 28 }, start: { line: 2, column: 1 } });
    expect(d?.hint).toContain('always');
    expect(e.error.message).toContain('line 2');
    expect(await t.stores.rules.list()).toEqual([]);
    // An update with a broken condition leaves the stored rule alone
    await t.call('POST', '/api/v1/rules', { body: RULE });
    expect((await t.call('PUT', '/api/v1/rules/fraud-checked', { body: { condition: 'when {' } })).statusCode).toBe(400);
    expect((await t.stores.rules.get('fraud-checked'))?.version).toBe(1);
  });

  test('optimistic concurrency: a stale version (body or If-Match) is 409 and changes nothing', async () => {
    const t = await buildTestApi();
    await t.call('POST', '/api/v1/rules', { body: RULE });
    await t.call('PUT', '/api/v1/rules/fraud-checked', { body: { name: 'Second' } });
    const stale = await t.call('PUT', '/api/v1/rules/fraud-checked', { body: { name: 'Third', version: 1 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: { code: 'conflict' } });
    expect((stale.json() as { error: { message: string } }).error.message).toContain('version 2');
    expect((await t.call('PUT', '/api/v1/rules/fraud-checked', { body: { name: 'Third' }, headers: { 'if-match': '"1"' } })).statusCode).toBe(409);
    expect((await t.call('DELETE', '/api/v1/rules/fraud-checked', { headers: { 'if-match': 'W/"1"' } })).statusCode).toBe(409);
    expect((await t.call('POST', '/api/v1/rules/fraud-checked/disable', { body: { version: 1 } })).statusCode).toBe(409);
    expect((await t.call('PUT', '/api/v1/rules/fraud-checked', { body: { name: 'Third' }, headers: { 'if-match': '"2"' } })).json()).toMatchObject({ version: 3 });
    expect((await t.call('PUT', '/api/v1/rules/fraud-checked', { body: { name: 'x' }, headers: { 'if-match': 'banana' } })).statusCode).toBe(400);
    expect((await t.stores.rules.get('fraud-checked'))?.name).toBe('Third');
  });

  test('duplicate id: 409; missing rule: 404; reserved ids refused', async () => {
    const t = await buildTestApi();
    await t.call('POST', '/api/v1/rules', { body: RULE });
    expect((await t.call('POST', '/api/v1/rules', { body: RULE })).statusCode).toBe(409);
    expect((await t.call('PUT', '/api/v1/rules/nope', { body: { name: 'x' } })).statusCode).toBe(404);
    expect((await t.call('DELETE', '/api/v1/rules/nope')).statusCode).toBe(404);
    expect((await t.call('GET', '/api/v1/rules/nope/versions')).statusCode).toBe(404);
    const reserved = await t.call('POST', '/api/v1/rules', { body: { ...RULE, id: 'export' } });
    expect(reserved.statusCode).toBe(400);
  });

  test.each([
    '/api/v1/rules/..%2F..%2Fetc%2Fpasswd',
    '/api/v1/rules/%2e%2e',
    '/api/v1/rules/Upper',
    '/api/v1/rules/a%00b',
    `/api/v1/rules/${'a'.repeat(129)}`,
  ])('path-traversal-ish or malformed ids are rejected by the schema: %s', async (url) => {
    const t = await buildTestApi();
    const r = await t.call('GET', url);
    expect([400, 404]).toContain(r.statusCode);
    expect(r.json()).toHaveProperty('error.code');
    if (r.statusCode === 400) expect(r.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });

  test('rules from rule files are read-only through the API (409 naming the file)', async () => {
    const t = await buildTestApi();
    await t.stores.rules.create({ ...RULE, source: 'file' } as never, 'file:payments.yaml');
    for (const [method, url, body] of [['PUT', '/api/v1/rules/fraud-checked', { name: 'x' }], ['DELETE', '/api/v1/rules/fraud-checked', undefined], ['POST', '/api/v1/rules/fraud-checked/disable', undefined]] as const) {
      const r = await t.call(method, url, { body });
      expect(r.statusCode, `${method} ${url}`).toBe(409);
      expect((r.json() as { error: { message: string } }).error.message).toContain('payments.yaml');
    }
  });
});

test('the same API works on the SQLite store (versions, audit actor, 409)', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { SqliteStores } = await import('@betrace/store');
  const opened = await SqliteStores.open(join(mkdtempSync(join(tmpdir(), 'betrace-api-')), 'betrace.db'));
  if (!opened.ok) throw new Error(opened.error.message);
  const t = await buildTestApi({ stores: opened.value });
  expect((await t.call('POST', '/api/v1/rules', { as: 'editor', body: RULE })).statusCode).toBe(201);
  expect((await t.call('PUT', '/api/v1/rules/fraud-checked', { as: 'editor', body: { severity: 'low', version: 1 } })).json()).toMatchObject({ version: 2 });
  expect((await t.call('PUT', '/api/v1/rules/fraud-checked', { as: 'editor', body: { severity: 'info', version: 1 } })).statusCode).toBe(409);
  const audit = (await t.call('GET', '/api/v1/audit?target=fraud-checked')).json() as { items: { actor: string }[] };
  expect(audit.items.map((a) => a.actor)).toEqual([`key:editor-key/${t.keyIds.editor}`, `key:editor-key/${t.keyIds.editor}`]);
  await opened.value.close();
});
