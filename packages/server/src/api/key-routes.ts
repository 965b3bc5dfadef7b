import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiKeyView, createApiKey } from '../auth/api-keys.ts';
import type { ServerContext } from '../context.ts';
import { storeFailure } from '../rules/store-failure.ts';
import { addRoute } from './route.ts';
import * as s from './schemas.ts';

const TAGS = ['keys'];

/** API key management (admin only); the secret of a new key is in the creation response only. */
export function registerKeyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  addRoute(app, {
    method: 'GET', url: '/api/v1/keys', access: 'admin', tags: TAGS, summary: 'List API keys (never their secrets)',
    handler: async () => ({ items: (await ctx.stores.apiKeys.list()).map(apiKeyView) }),
  });

  addRoute(app, {
    method: 'POST', url: '/api/v1/keys', access: 'admin', tags: TAGS, summary: 'Create an API key',
    description: 'The response holds the secret; it is stored only as a hash and cannot be shown again.',
    body: z.strictObject({ name: z.string().trim().min(1).max(100), role: s.roleSchema }),
    handler: async ({ body, principal, reply, fail }) => {
      const created = await createApiKey(ctx.stores, body, principal.actor);
      if (!created.ok) return fail(storeFailure(created.error));
      return reply.code(201).send({ ...created.value.key, secret: created.value.secret });
    },
  });

  addRoute(app, {
    method: 'DELETE', url: '/api/v1/keys/:id', access: 'admin', tags: TAGS, summary: 'Revoke an API key',
    description: 'The key stops working at once. Revoking is audited; the record stays for the audit trail.',
    params: s.keyParams,
    handler: async ({ params, principal, fail }) => {
      const revoked = await ctx.stores.apiKeys.revoke(params.id, principal.actor);
      return revoked.ok ? apiKeyView(revoked.value) : fail(storeFailure(revoked.error));
    },
  });

  addRoute(app, {
    method: 'GET', url: '/api/v1/me', access: 'viewer', tags: TAGS, summary: 'Who the presented key is (for the console)',
    handler: async ({ principal }) => ({ id: principal.id, name: principal.name, role: principal.role, authEnabled: ctx.config.auth !== 'none' }),
  });
}
