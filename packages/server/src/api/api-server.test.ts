import { describe, expect, test } from 'vitest';
import { buildTestApi } from '../testing/test-api.ts';

const RULE = { id: 'r1', name: 'R1', severity: 'high', condition: 'when { payment.charge } always { fraud.check }' };

function envelope(body: string): { code: string; message: string; requestId: string } {
  const parsed = JSON.parse(body) as { error: { code: string; message: string; requestId: string } };
  expect(Object.keys(parsed)).toEqual(['error']);
  expect(parsed.error.requestId).toMatch(/.+/);
  return parsed.error;
}

describe('error envelope', () => {
  test('unknown route: 404 envelope whose requestId matches the X-Request-Id header', async () => {
    const t = await buildTestApi();
    const r = await t.call('GET', '/api/v1/nothing-here');
    expect(r.statusCode).toBe(404);
    const e = envelope(r.body);
    expect(e.code).toBe('not_found');
    expect(r.headers['x-request-id']).toBe(e.requestId);
  });

  test('a safe incoming X-Request-Id is kept; a hostile one is replaced', async () => {
    const t = await buildTestApi();
    const kept = await t.call('GET', '/api/v1/rules', { headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await t.call('GET', '/nope', { headers: { 'x-request-id': 'a\u0000<script>' } });
    expect(envelope(replaced.body).requestId).not.toContain('<');
  });

  test('malformed JSON: 400 invalid_request envelope', async () => {
    const t = await buildTestApi();
    const r = await t.call('POST', '/api/v1/rules', { body: '{"id": ', headers: { 'content-type': 'application/json' } });
    expect(r.statusCode).toBe(400);
    expect(envelope(r.body).code).toBe('invalid_request');
  });

  test('a body over limits.maxBodyBytes: 413 payload_too_large', async () => {
    const t = await buildTestApi({ config: { limits: { maxBodyBytes: '1KiB' } } });
    const r = await t.call('POST', '/api/v1/rules', { body: { ...RULE, description: 'x'.repeat(5000) } });
    expect(r.statusCode).toBe(413);
    expect(envelope(r.body).code).toBe('payload_too_large');
  });

  test.each([
    ['text/plain', 'not json'],
    ['application/xml', '<rule/>'],
    ['text/yaml', 'id: r1'],
  ])('JSON endpoint refuses %s with 415', async (type, body) => {
    const t = await buildTestApi();
    const r = await t.call('POST', '/api/v1/rules', { body, headers: { 'content-type': type } });
    expect(r.statusCode).toBe(415);
    expect(envelope(r.body).code).toBe('unsupported_media_type');
    expect(await t.stores.rules.list()).toEqual([]);
  });

  test('schema violations: 400 with the failing field named', async () => {
    const t = await buildTestApi();
    const r = await t.call('POST', '/api/v1/rules', { body: { ...RULE, severity: 'apocalyptic', extra: 1 } });
    expect(r.statusCode).toBe(400);
    const e = JSON.parse(r.body) as { error: { message: string; details: { issues: { path: string }[] } } };
    expect(e.error.details.issues.map((i) => i.path)).toContain('body.severity');
  });
});

describe('authentication and roles', () => {
  test('no key: 401 envelope that says how to authenticate; nothing is written', async () => {
    const t = await buildTestApi();
    for (const [method, url] of [['GET', '/api/v1/rules'], ['POST', '/api/v1/rules'], ['GET', '/api/v1/keys'], ['GET', '/api/v1/violations']] as const) {
      const r = await t.call(method, url, { as: null, ...(method === 'POST' ? { body: RULE } : {}) });
      expect(r.statusCode, url).toBe(401);
      expect(envelope(r.body).message).toContain('Authorization: Bearer');
    }
    expect(await t.stores.rules.list()).toEqual([]);
  });

  test('unknown, malformed and revoked keys: 401', async () => {
    const t = await buildTestApi();
    for (const secret of ['btk_' + 'a'.repeat(40), 'garbage', '']) {
      const r = await t.call('GET', '/api/v1/rules', { as: { secret } });
      expect(r.statusCode, secret).toBe(401);
    }
    await t.stores.apiKeys.revoke(t.keyIds.editor, 'test');
    const r = await t.call('GET', '/api/v1/rules', { as: 'editor' });
    expect(r.statusCode).toBe(401);
    expect(envelope(r.body).code).toBe('unauthenticated');
  });

  test('X-API-Key works like the Bearer header', async () => {
    const t = await buildTestApi();
    const r = await t.call('GET', '/api/v1/rules', { as: null, headers: { 'x-api-key': t.keys.viewer } });
    expect(r.statusCode).toBe(200);
  });

  test('viewer cannot write (403), editor cannot manage keys (403), admin can', async () => {
    const t = await buildTestApi();
    const viewer = await t.call('POST', '/api/v1/rules', { as: 'viewer', body: RULE });
    expect(viewer.statusCode).toBe(403);
    expect(envelope(viewer.body).message).toContain('editor role');
    expect((await t.call('POST', '/api/v1/rules/import', { as: 'viewer', body: 'rules: []', headers: { 'content-type': 'text/yaml' } })).statusCode).toBe(403);
    expect((await t.call('GET', '/api/v1/keys', { as: 'editor' })).statusCode).toBe(403);
    expect((await t.call('POST', '/api/v1/keys', { as: 'editor', body: { name: 'x', role: 'admin' } })).statusCode).toBe(403);
    expect((await t.call('POST', '/api/v1/rules', { as: 'editor', body: RULE })).statusCode).toBe(201);
    expect((await t.call('GET', '/api/v1/keys', { as: 'admin' })).statusCode).toBe(200);
  });

  test('the auth check runs before the body is read: an unauthenticated huge body is 401, not 413', async () => {
    const t = await buildTestApi({ config: { limits: { maxBodyBytes: '1KiB' } } });
    const r = await t.call('POST', '/api/v1/rules', { as: null, body: { ...RULE, description: 'x'.repeat(5000) } });
    expect(r.statusCode).toBe(401);
  });

  test('--auth=none: every request acts as admin "anonymous", and the audit says so', async () => {
    const t = await buildTestApi({ config: { auth: 'none' } });
    const r = await t.call('POST', '/api/v1/rules', { as: null, body: RULE });
    expect(r.statusCode).toBe(201);
    expect((JSON.parse(r.body) as { updatedBy: string }).updatedBy).toBe('anonymous');
    expect((await t.call('GET', '/api/v1/keys', { as: null })).statusCode).toBe(200);
  });

  test('lastUsedAt is recorded on use', async () => {
    const t = await buildTestApi();
    await t.call('GET', '/api/v1/rules', { as: 'viewer' });
    await new Promise((r) => setTimeout(r, 10));
    const viewer = (await t.stores.apiKeys.list()).find((k) => k.id === t.keyIds.viewer);
    expect(viewer?.lastUsedAt).toBeTypeOf('number');
  });
});

describe('operations endpoints', () => {
  test('healthz, readyz and metrics need no key', async () => {
    const t = await buildTestApi();
    expect((await t.call('GET', '/healthz', { as: null })).json()).toEqual({ status: 'ok' });
    const ready = await t.call('GET', '/readyz', { as: null });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', store: 'ok' });
    const metrics = await t.call('GET', '/metrics', { as: null });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('betrace_active_rules');
  });

  test('readyz: 503 naming what is not ready (receivers, store)', async () => {
    const t = await buildTestApi();
    t.setReady(false);
    const r = await t.call('GET', '/readyz', { as: null });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toMatchObject({ error: { code: 'unavailable', details: { receivers: 'not_listening', store: 'ok' } } });
    t.setReady(true);
    await t.stores.close();
    const closed = await t.call('GET', '/readyz', { as: null });
    expect(closed.statusCode).toBe(503);
    expect(closed.json()).toMatchObject({ error: { details: { store: 'unavailable' } } });
  });

  test('the OpenAPI document is public and describes the API from the route schemas', async () => {
    const t = await buildTestApi();
    const r = await t.call('GET', '/api/v1/openapi.json', { as: null });
    expect(r.statusCode).toBe(200);
    const doc = r.json() as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { name: string }[] }>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/v1/rules', '/api/v1/rules/{id}', '/api/v1/rules/validate', '/api/v1/rules/test', '/api/v1/rules/import', '/api/v1/rules/export', '/api/v1/violations', '/api/v1/violations/{id}', '/api/v1/violations/stats', '/api/v1/violations/export.csv', '/api/v1/traces', '/api/v1/traces/{traceId}', '/api/v1/keys', '/api/v1/keys/{id}', '/api/v1/status', '/api/v1/audit', '/healthz', '/readyz', '/metrics']) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(doc.paths['/api/v1/rules']?.post?.requestBody).toBeDefined();
    expect(doc.paths['/api/v1/violations']?.get?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['ruleId', 'severity', 'cursor']));
  });

  test('status: counts for the console, broken rules with diagnostics', async () => {
    const t = await buildTestApi();
    await t.call('POST', '/api/v1/rules', { body: RULE });
    // A rule stored behind the API's back whose condition no longer checks
    await t.stores.rules.create({ id: 'broken', name: 'Broken', severity: 'low', condition: 'when { a } alway { b }' }, 'test');
    await t.ctx.rules.reload();
    const r = await t.call('GET', '/api/v1/status', { as: 'viewer' });
    expect(r.statusCode).toBe(200);
    const body = r.json() as { rules: { total: number; active: number; broken: { id: string; diagnostics: { code: string }[] }[] }; tracesEvaluated: number };
    expect(body.rules).toMatchObject({ total: 2, active: 1 });
    expect(body.rules.broken[0]?.id).toBe('broken');
    expect(body.rules.broken[0]?.diagnostics[0]?.code).toBe('unknown_block');
    expect(body.tracesEvaluated).toBe(0);
  });
});
