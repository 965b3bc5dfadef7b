import type { ApiKeyRole } from '@betrace/store';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApiApp } from '../api/api-server.ts';
import { createApiKey } from '../auth/api-keys.ts';
import { type TestContext, type TestContextOptions, buildTestContext } from './test-context.ts';

/** A built (not listening) API with one key per role. */
export interface TestApi extends TestContext {
  app: FastifyInstance;
  keys: Record<ApiKeyRole, string>;
  keyIds: Record<ApiKeyRole, string>;
  call(method: string, url: string, options?: CallOptions): Promise<LightMyRequestResponse>;
}

export interface CallOptions {
  /** A role's key, a literal secret, or null for no credentials. Default: the admin key. */
  as?: ApiKeyRole | { secret: string } | null;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function buildTestApi(options: TestContextOptions = {}): Promise<TestApi> {
  const t = await buildTestContext(options);
  const keys = {} as Record<ApiKeyRole, string>;
  const keyIds = {} as Record<ApiKeyRole, string>;
  for (const role of ['viewer', 'editor', 'admin'] as const) {
    const created = await createApiKey(t.stores, { name: `${role}-key`, role }, 'test');
    if (!created.ok) throw new Error(created.error.message);
    keys[role] = created.value.secret;
    keyIds[role] = created.value.key.id;
  }
  const app = await buildApiApp(t.ctx);
  await app.ready();
  const call = (method: string, url: string, o: CallOptions = {}): Promise<LightMyRequestResponse> => {
    const headers: Record<string, string> = { ...o.headers };
    const as = o.as === undefined ? 'admin' : o.as;
    if (as !== null) headers['authorization'] ??= `Bearer ${typeof as === 'string' ? keys[as] : as.secret}`;
    const payload = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    if (payload !== undefined && typeof o.body !== 'string') headers['content-type'] ??= 'application/json';
    return app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
  };
  return { ...t, app, keys, keyIds, call };
}
