import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import type { RuleService } from '../rules/rule-service.ts';
import { ruleView } from '../rules/rule-view.ts';
import { failure } from './errors.ts';
import { expectedVersion } from './if-match.ts';
import { addRoute } from './route.ts';
import * as s from './schemas.ts';

const TAGS = ['rules'];

/** Rule CRUD, enable/disable, version history and the audit log. */
export function registerRuleRoutes(app: FastifyInstance, ctx: ServerContext, service: RuleService): void {
  addRoute(app, {
    method: 'GET', url: '/api/v1/rules', access: 'viewer', tags: TAGS, summary: 'List rules',
    responses: { 200: { description: 'Every rule, by id', schema: z.object({ items: z.array(s.ruleView) }) } },
    handler: async () => ({ items: (await ctx.stores.rules.list()).map(ruleView) }),
  });

  addRoute(app, {
    method: 'POST', url: '/api/v1/rules', access: 'editor', tags: TAGS, summary: 'Create a rule',
    description: 'The condition is checked first; a condition with errors is refused with its diagnostics (400).',
    body: s.newRuleBody,
    responses: { 201: { description: 'The created rule (version 1)', schema: s.ruleView } },
    handler: async ({ body, principal, reply, fail }) => {
      const created = await service.create(body, principal.actor);
      if (!created.ok) return fail(created.failure);
      return reply.code(201).header('etag', `"${created.value.version}"`).header('location', `/api/v1/rules/${created.value.id}`).send(ruleView(created.value));
    },
  });

  addRoute(app, {
    method: 'GET', url: '/api/v1/rules/:id', access: 'viewer', tags: TAGS, summary: 'Get a rule', params: s.ruleParams,
    responses: { 200: { description: 'The rule; ETag is its version', schema: s.ruleView } },
    handler: async ({ params, reply, fail }) => {
      const rule = await ctx.stores.rules.get(params.id);
      if (rule === undefined) return fail(failure('not_found', `rule "${params.id}" does not exist`));
      return reply.header('etag', `"${rule.version}"`).send(ruleView(rule));
    },
  });

  addRoute(app, {
    method: 'PUT', url: '/api/v1/rules/:id', access: 'editor', tags: TAGS, summary: 'Update a rule (new version)',
    description: 'Fields you leave out keep their value. Send the version you edited as `version` or `If-Match`; a newer stored version answers 409.',
    params: s.ruleParams, body: s.ruleChangesBody,
    responses: { 200: { description: 'The rule as stored now', schema: s.ruleView } },
    handler: async ({ params, body, principal, request, reply, fail }) => {
      const { version, ...changes } = body;
      const expected = expectedVersion(request, version);
      if (!expected.ok) return fail(expected.failure);
      const updated = await service.update(params.id, changes, principal.actor, expected.value);
      if (!updated.ok) return fail(updated.failure);
      return reply.header('etag', `"${updated.value.version}"`).send(ruleView(updated.value));
    },
  });

  addRoute(app, {
    method: 'DELETE', url: '/api/v1/rules/:id', access: 'editor', tags: TAGS, summary: 'Delete a rule',
    description: 'Its versions and audit entries stay. `If-Match` makes the delete conditional.',
    params: s.ruleParams,
    responses: { 200: { description: 'The rule as it was', schema: s.ruleView } },
    handler: async ({ params, principal, request, fail }) => {
      const expected = expectedVersion(request, undefined);
      if (!expected.ok) return fail(expected.failure);
      const deleted = await service.delete(params.id, principal.actor, expected.value);
      if (!deleted.ok) return fail(deleted.failure);
      return ruleView(deleted.value);
    },
  });

  for (const enabled of [true, false]) {
    addRoute(app, {
      method: 'POST', url: `/api/v1/rules/:id/${enabled ? 'enable' : 'disable'}`, access: 'editor', tags: TAGS,
      summary: enabled ? 'Enable a rule' : 'Disable a rule', params: s.ruleParams, body: s.versionBody,
      responses: { 200: { description: 'The rule as stored now', schema: s.ruleView } },
      handler: async ({ params, body, principal, request, reply, fail }) => {
        const expected = expectedVersion(request, body?.version);
        if (!expected.ok) return fail(expected.failure);
        const changed = await service.setEnabled(params.id, enabled, principal.actor, expected.value);
        if (!changed.ok) return fail(changed.failure);
        return reply.header('etag', `"${changed.value.version}"`).send(ruleView(changed.value));
      },
    });
  }

  addRoute(app, {
    method: 'GET', url: '/api/v1/rules/:id/versions', access: 'viewer', tags: TAGS, summary: 'Version history of a rule',
    description: 'Every version ever stored under the id, newest first (also after deletion).',
    params: s.ruleParams,
    responses: { 200: { description: 'Versions, newest first', schema: z.object({ items: z.array(s.ruleView) }) } },
    handler: async ({ params, fail }) => {
      const versions = await ctx.stores.rules.history(params.id);
      if (versions.length === 0) return fail(failure('not_found', `rule "${params.id}" has never existed`));
      return { items: versions.map(ruleView) };
    },
  });

  addRoute(app, {
    method: 'GET', url: '/api/v1/audit', access: 'viewer', tags: ['audit'], summary: 'Audit log (who changed what, when)',
    query: s.pageQuery.extend({ target: z.string().max(256).optional() }),
    handler: async ({ query, fail }) => {
      const page = await ctx.stores.audit.list({
        ...(query.target !== undefined ? { target: query.target } : {}), ...(query.limit !== undefined ? { limit: query.limit } : {}),
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      });
      if (!page.ok) return fail(failure('invalid_request', page.error.message));
      return {
        items: page.value.items.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
        nextCursor: page.value.nextCursor ?? null,
      };
    },
  });
}
