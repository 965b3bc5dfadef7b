import type { Span, Trace } from '@betrace/engine';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { toJson } from '../pipeline/witness.ts';
import { Redactor } from '../redaction/redactor.ts';
import { traceGone } from '../rules/rule-tester.ts';
import { addRoute } from './route.ts';
import * as s from './schemas.ts';
import { violationView } from './violation-routes.ts';

const TAGS = ['traces'];

/**
 * Recently completed traces, so the console can show a violation's trace without Tempo. Attribute
 * values go through the same redaction as stored violations: the API must not show what the
 * store is not allowed to keep.
 */
export function registerTraceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const redactor = new Redactor(ctx.config.redaction);
  addRoute(app, {
    method: 'GET', url: '/api/v1/traces', access: 'viewer', tags: TAGS, summary: 'Recently completed traces, newest first',
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).optional() }),
    handler: async ({ query }) => {
      const [traces, status] = await Promise.all([ctx.runtime.recent(query.limit ?? 100), ctx.runtime.status()]);
      return { items: traces.map(traceSummary), kept: status.recentTraces };
    },
  });

  addRoute(app, {
    method: 'GET', url: '/api/v1/traces/:traceId', access: 'viewer', tags: TAGS, summary: 'One recently completed trace with its violations',
    params: s.traceParams,
    handler: async ({ params, fail }) => {
      const trace = await ctx.runtime.get(params.traceId);
      if (trace === undefined) return fail(traceGone(params.traceId));
      const violations = await ctx.stores.violations.list({ traceId: params.traceId, limit: 1000 });
      return {
        ...traceSummary(trace),
        spans: sortedSpans(trace).map((span) => spanView(span, redactor)),
        violations: violations.ok ? violations.value.items.map(violationView) : [],
      };
    },
  });
}

function sortedSpans(trace: Trace): Span[] {
  const seen = new Set<string>();
  return trace.spans.filter((sp) => !seen.has(sp.spanId) && seen.add(sp.spanId)).sort((a, b) => a.start - b.start || (a.spanId < b.spanId ? -1 : 1));
}

function traceSummary(trace: Trace): Record<string, unknown> {
  const spans = sortedSpans(trace);
  const ids = new Set(spans.map((sp) => sp.spanId));
  const root = spans.find((sp) => sp.parentSpanId === undefined) ?? spans.find((sp) => sp.parentSpanId !== undefined && !ids.has(sp.parentSpanId));
  const start = Math.min(...spans.map((sp) => sp.start));
  const end = Math.max(...spans.map((sp) => sp.end));
  return {
    traceId: trace.traceId, spanCount: spans.length, rootName: root?.name ?? null, rootService: root?.service ?? null,
    services: [...new Set(spans.map((sp) => sp.service).filter((x) => x !== ''))].sort(),
    start: iso(start), durationNs: ns(end - start),
  };
}

function spanView(span: Span, redactor: Redactor): Record<string, unknown> {
  return {
    spanId: span.spanId, parentSpanId: span.parentSpanId ?? null, name: span.name, kind: span.kind, status: span.status,
    statusMessage: span.statusMessage, service: span.service,
    start: iso(span.start), startNs: ns(span.start), end: iso(span.end), endNs: ns(span.end), durationNs: ns(span.duration),
    attributes: redactor.attributes(Object.fromEntries([...span.attributes].map(([k, v]) => [k, toJson(v)]))),
    resource: redactor.attributes(Object.fromEntries([...span.resource].map(([k, v]) => [k, toJson(v)]))),
  };
}

/** Nanoseconds as a decimal string (JSON numbers lose precision past 2^53). */
function ns(value: number): string {
  return Number.isFinite(value) ? BigInt(Math.round(value)).toString() : '0';
}

function iso(nanos: number): string | null {
  const ms = nanos / 1e6;
  if (!Number.isFinite(ms)) return null;
  const d = new Date(Math.floor(ms));
  // Keep microseconds and nanoseconds the Date type drops: 2025-01-01T00:00:00.123456789Z
  const frac = String(Math.min(999_999_999, Math.round(nanos % 1e9))).padStart(9, '0');
  return Number.isNaN(d.getTime()) ? null : `${d.toISOString().slice(0, 19)}.${frac}Z`;
}
