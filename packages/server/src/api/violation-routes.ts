import { Readable } from 'node:stream';
import type { ViolationQuery, ViolationRecord } from '@betrace/store';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { csvRow } from './csv.ts';
import { failure } from './errors.ts';
import { addRoute } from './route.ts';
import * as s from './schemas.ts';

const TAGS = ['violations'];
const DAY = 86_400_000;
const CSV_COLUMNS = ['id', 'detected_at', 'rule_id', 'rule_name', 'severity', 'trace_id', 'services', 'reason', 'trigger_span_ids', 'offending_span_ids', 'resolved_at', 'signature'];

/** Violations: list, one with its signature check, statistics and CSV export. */
export function registerViolationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  addRoute(app, {
    method: 'GET', url: '/api/v1/violations', access: 'viewer', tags: TAGS, summary: 'List violations, newest first',
    description: 'Filters combine (AND). `severity` takes a comma list; `from`/`to` take ISO 8601 or epoch milliseconds; pass `nextCursor` as `cursor` for the next page.',
    query: s.violationListQuery,
    handler: async ({ query, fail }) => {
      const page = await ctx.stores.violations.list(toQuery(query));
      if (!page.ok) return fail(failure('invalid_request', page.error.message));
      return { items: page.value.items.map(violationView), nextCursor: page.value.nextCursor ?? null };
    },
  });

  addRoute(app, {
    method: 'GET', url: '/api/v1/violations/stats', access: 'viewer', tags: TAGS, summary: 'Violation counts by severity, rule, service and time bucket',
    description: 'Window `[from, to)`, default the last 24 hours; `bucket` is a duration (default 1h).',
    query: s.statsQuery,
    handler: async ({ query, fail }) => {
      const to = query.to ?? Date.now();
      const from = query.from ?? to - DAY;
      const { from: _f, to: _t, bucket, ...filters } = query;
      const stats = await ctx.stores.violations.stats({ from, to, bucketMs: bucket ?? 3_600_000, filters: toQuery(filters) });
      if (!stats.ok) return fail(failure('invalid_request', stats.error.message));
      return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucketMs: bucket ?? 3_600_000, ...stats.value };
    },
  });

  addRoute(app, {
    method: 'GET', url: '/api/v1/violations/export.csv', access: 'viewer', tags: TAGS, summary: 'Export violations as CSV',
    description: 'The same filters as the list; every matching violation, streamed page by page.',
    query: s.violationFilterQuery,
    responses: { 200: { description: 'CSV with a header row', contentType: 'text/csv' } },
    handler: async ({ query, reply, fail }) => {
      const base = toQuery(query);
      const first = await ctx.stores.violations.list({ ...base, limit: 1000 });
      if (!first.ok) return fail(failure('invalid_request', first.error.message));
      const store = ctx.stores.violations;
      async function* rows(): AsyncGenerator<string> {
        yield csvRow(CSV_COLUMNS);
        let page = first.ok ? first.value : { items: [] };
        for (;;) {
          yield page.items.map(csvLine).join('');
          if (page.nextCursor === undefined) return;
          const next = await store.list({ ...base, limit: 1000, cursor: page.nextCursor });
          if (!next.ok) throw new Error(`violation export stopped: ${next.error.message}`);
          page = next.value;
        }
      }
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="betrace-violations-${stamp}.csv"`).send(Readable.from(rows()));
    },
  });

  addRoute(app, {
    method: 'GET', url: '/api/v1/violations/:id', access: 'viewer', tags: TAGS, summary: 'One violation, with its signature checked',
    params: s.violationParams,
    handler: async ({ params, fail }) => {
      const record = await ctx.stores.violations.get(params.id);
      if (record === undefined) return fail(failure('not_found', `violation ${params.id} does not exist (or was deleted by retention)`));
      return { ...violationView(record), signatureValid: ctx.signer.verify(record) };
    },
  });
}

type FilterInput = Partial<z.output<typeof s.violationListQuery>>;

function toQuery(q: FilterInput): ViolationQuery {
  const out: ViolationQuery = {};
  if (q.ruleId !== undefined) out.ruleId = q.ruleId;
  if (q.severity !== undefined) out.severity = q.severity;
  if (q.service !== undefined) out.service = q.service;
  if (q.traceId !== undefined) out.traceId = q.traceId;
  if (q.q !== undefined) out.text = q.q;
  if (q.status !== undefined) out.status = q.status;
  if (q.from !== undefined) out.from = q.from;
  if (q.to !== undefined) out.to = q.to;
  if (q.limit !== undefined) out.limit = q.limit;
  if (q.cursor !== undefined) out.cursor = q.cursor;
  return out;
}

/** A record for the API: times as ISO 8601 next to the stored milliseconds. */
export function violationView(r: ViolationRecord): Record<string, unknown> {
  return {
    ...r,
    detectedAtIso: new Date(r.detectedAt).toISOString(),
    traceStartIso: new Date(r.traceStart).toISOString(),
    resolvedAtIso: r.resolvedAt === undefined ? null : new Date(r.resolvedAt).toISOString(),
  };
}

function csvLine(r: ViolationRecord): string {
  const services = [...new Set([...r.trigger, ...r.offending].map((w) => w.service).filter((x) => x !== ''))];
  return csvRow([
    r.id, new Date(r.detectedAt).toISOString(), r.ruleId, r.ruleName, r.severity, r.traceId, services.join(' '), r.reason,
    r.trigger.map((w) => w.spanId).join(' '), r.offending.map((w) => w.spanId).join(' '),
    r.resolvedAt === undefined ? '' : new Date(r.resolvedAt).toISOString(), r.signature,
  ]);
}
