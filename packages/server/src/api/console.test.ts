import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildTestContext } from '../testing/test-context.ts';
import { buildApiApp } from './api-server.ts';
import { consolePlugin } from './console.ts';

async function appWith(dir: string) {
  const t = await buildTestContext({ config: { auth: 'none' } });
  const app = await buildApiApp(t.ctx, { plugins: [consolePlugin(dir)] });
  await app.ready();
  return app;
}

function builtConsole(): string {
  const dir = mkdtempSync(join(tmpdir(), 'betrace-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'console.abc123.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'betrace-outside.txt'), 'OUTSIDE-CONTENT');
  return dir;
}

describe('console at /', () => {
  test('index.html at / and, for client-side routes, at any other path; never cached', async () => {
    const app = await appWith(builtConsole());
    for (const url of ['/', '/violations', '/rules/r1/edit?x=1', '/traces/0af7651916cd43dd8448eb211c80319c']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.body).toContain('id="root"');
    }
  });

  test('hashed assets with their content type, cached for good', async () => {
    const app = await appWith(builtConsole());
    const r = await app.inject({ method: 'GET', url: '/assets/console.abc123.js' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/javascript/);
    expect(r.headers['cache-control']).toContain('immutable');
    expect(r.body).toBe('console.log(1)');
  });

  test('unknown API paths keep the JSON error envelope, not the console page', async () => {
    const app = await appWith(builtConsole());
    for (const url of ['/api/v1/nothing-here', '/api', '/api/']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(404);
      expect(JSON.parse(r.body).error.code).toBe('not_found');
    }
    const rules = await app.inject({ method: 'GET', url: '/api/v1/rules' });
    expect(rules.statusCode).toBe(200);
  });

  test('no file outside the console directory is served', async () => {
    const app = await appWith(builtConsole());
    for (const url of ['/../betrace-outside.txt', '/%2e%2e/betrace-outside.txt', '/assets/..%2f..%2fbetrace-outside.txt']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.body, url).not.toContain('OUTSIDE-CONTENT');
    }
  });

  test('not built: / explains how to build it', async () => {
    const app = await appWith(join(tmpdir(), 'betrace-no-console-here'));
    const r = await app.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(503);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.body).toContain('npm run build:console');
  });
});
