import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import { diagnosticView } from '../rules/diagnostic-view.ts';
import { codeForStatus, failure } from './errors.ts';
import { addRoute } from './route.ts';

/** Probes, Prometheus metrics and the counts the console's status page shows. */
export function registerStatusRoutes(app: FastifyInstance, ctx: ServerContext): void {
  addRoute(app, {
    method: 'GET', url: '/healthz', access: 'public', tags: ['operations'], summary: 'Liveness: the process answers',
    handler: async () => ({ status: 'ok' }),
  });

  addRoute(app, {
    method: 'GET', url: '/readyz', access: 'public', tags: ['operations'], summary: 'Readiness: the store answers and the receivers listen',
    handler: async ({ fail }) => {
      const storeOk = await ctx.stores.ping().catch(() => false);
      const listening = ctx.isReady();
      if (storeOk && listening) return { status: 'ready', store: 'ok', receivers: 'listening' };
      const missing = [...(storeOk ? [] : ['the store does not answer']), ...(listening ? [] : ['the receivers are not listening (starting or shutting down)'])];
      return fail(failure(codeForStatus(503), `not ready: ${missing.join('; ')}`, {
        status: 'not_ready', store: storeOk ? 'ok' : 'unavailable', receivers: listening ? 'listening' : 'not_listening',
      }));
    },
  });

  addRoute(app, {
    method: 'GET', url: '/metrics', access: 'public', tags: ['operations'], summary: 'Prometheus metrics',
    responses: { 200: { description: 'Prometheus text exposition format', contentType: 'text/plain' } },
    handler: async ({ reply }) => reply.type(ctx.metrics.registry.contentType).send(await ctx.runtime.metricsText()),
  });

  addRoute(app, {
    method: 'GET', url: '/api/v1/status', access: 'viewer', tags: ['operations'], summary: 'Counts for the console status page',
    handler: async () => {
      const [rules, traces] = await Promise.all([ctx.stores.rules.list(), ctx.runtime.status()]);
      return {
        ready: ctx.isReady(),
        rules: {
          total: rules.length,
          active: ctx.rules.active.length,
          disabled: rules.filter((r) => !r.enabled).length,
          broken: ctx.rules.broken.map((b) => ({
            id: b.stored.id, name: b.stored.name, version: b.stored.version,
            diagnostics: b.diagnostics.map((d) => diagnosticView(b.stored.condition, d)),
          })),
        },
        buffered: traces.buffered,
        recentTraces: traces.recentTraces,
        tracesEvaluated: traces.tracesEvaluated,
        spansAccepted: traces.spansAccepted,
        pendingViolations: ctx.writer.pending,
      };
    },
  });
}
