import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { exportRulePack } from '../rules/rule-pack-export.ts';
import { importRulePack } from '../rules/rule-pack-import.ts';
import type { RuleService } from '../rules/rule-service.ts';
import { testRule } from '../rules/rule-tester.ts';
import { checkCondition } from '../rules/validate-condition.ts';
import { addRoute } from './route.ts';
import * as s from './schemas.ts';

const TAGS = ['rules'];
export const YAML_TYPES = ['text/yaml', 'application/yaml', 'application/x-yaml', 'text/x-yaml'];

/** The editor's tools (validate, test) and YAML rule packs (export, import). */
export function registerRuleToolRoutes(app: FastifyInstance, ctx: ServerContext, service: RuleService): void {
  addRoute(app, {
    method: 'POST', url: '/api/v1/rules/validate', access: 'viewer', tags: TAGS, summary: 'Check a condition (for the editor)',
    description: 'Diagnostics with UTF-16 ranges (for JavaScript editors), UTF-8 byte ranges and line/column; the canonical text when it checks. Stores nothing.',
    body: z.strictObject({ condition: z.string().max(65_536) }),
    handler: async ({ body }) => {
      const check = checkCondition(body.condition);
      return { ok: check.ok, diagnostics: check.diagnostics, canonical: check.canonical ?? null, reads: check.reads ?? null };
    },
  });

  addRoute(app, {
    method: 'POST', url: '/api/v1/rules/test', access: 'viewer', tags: TAGS, summary: 'Run a rule on a trace without saving',
    description: 'Give `condition` or `ruleId`, and `trace` (an OTLP/JSON ExportTraceServiceRequest) or `traceId` (a recently completed trace).',
    body: z.strictObject({
      condition: z.string().max(65_536).optional(), ruleId: s.ruleId.optional(),
      trace: z.record(z.string(), z.unknown()).optional(), traceId: s.traceId.optional(),
    }).refine((b) => (b.condition === undefined) !== (b.ruleId === undefined), 'give exactly one of "condition" and "ruleId"')
      .refine((b) => (b.trace === undefined) !== (b.traceId === undefined), 'give exactly one of "trace" and "traceId"'),
    handler: async ({ body, fail }) => {
      const result = await testRule({ rules: ctx.stores.rules, recent: ctx.runtime }, body);
      return result.ok ? result.value : fail(result.failure);
    },
  });

  addRoute(app, {
    method: 'GET', url: '/api/v1/rules/export', access: 'viewer', tags: TAGS, summary: 'Export every rule as a YAML rule pack',
    responses: { 200: { description: 'A rule pack in the rule-file format', contentType: 'text/yaml' } },
    handler: async ({ reply }) => {
      const text = exportRulePack(await ctx.stores.rules.list(), new Date());
      return reply.type('text/yaml; charset=utf-8').header('content-disposition', 'attachment; filename="betrace-rules.yaml"').send(text);
    },
  });

  addRoute(app, {
    method: 'POST', url: '/api/v1/rules/import', access: 'editor', tags: TAGS, summary: 'Import a YAML rule pack',
    description: 'Creates or updates each rule on its own; the report says per rule created / updated / unchanged / error (with line and column).',
    body: z.string().max(16 * 1024 * 1024), consumes: YAML_TYPES,
    handler: async ({ body, principal, fail }) => {
      const report = await importRulePack({ store: ctx.stores.rules, service }, body, principal.actor);
      return report.ok ? report.value : fail(report.failure);
    },
  });
}
