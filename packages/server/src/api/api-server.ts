import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { Authenticator } from '../auth/authenticator.ts';
import type { ServerContext } from '../context.ts';
import { RuleService } from '../rules/rule-service.ts';
import { codeForStatus, failure, sendFailure } from './errors.ts';
import { registerKeyRoutes } from './key-routes.ts';
import { queryToken, redactUrl, routeAccess, setPrincipal } from './route.ts';
import { registerRuleRoutes } from './rule-routes.ts';
import { YAML_TYPES, registerRuleToolRoutes } from './rule-tool-routes.ts';
import { registerStatusRoutes } from './status-routes.ts';
import { registerTraceRoutes } from './trace-routes.ts';
import { registerViolationRoutes } from './violation-routes.ts';
import { type ViolationStreamOptions, registerViolationStreamRoute } from './violation-stream-routes.ts';

/** Extra plugins mounted after the API, e.g. the web console at `/` (the next issue). */
export interface ApiAppOptions {
  plugins?: FastifyPluginAsync[];
  /** Requests slower than this are logged at info (default 1 s). */
  slowRequestMs?: number;
  /** Heartbeat and buffer limits of the live violation stream. */
  stream?: ViolationStreamOptions;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The REST API as a Fastify instance, not listening yet: `startApiServer` listens on it, tests use
 * `app.inject`. Every error, Fastify's own included, leaves as `{ error: { code, message, requestId } }`.
 */
export async function buildApiApp(ctx: ServerContext, options: ApiAppOptions = {}): Promise<FastifyInstance> {
  const logger = ctx.logger.child({ component: 'api' });
  const app: FastifyInstance = Fastify({
    // pino's Logger is a FastifyBaseLogger; only the generic parameters differ
    loggerInstance: logger as FastifyBaseLogger,
    // No line per request: errors and slow requests are logged below.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: ctx.config.limits.maxBodyBytes,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  // zod validates (in addRoute); the JSON schemas only document. Responses are plain JSON.stringify
  // so documented response schemas never strip fields.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'BeTrace API', version: '1', description: 'Rules, violations, traces and API keys. Every error is `{ error: { code, message, requestId } }`.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key: Authorization: Bearer btk_…' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
  });

  const auth = new Authenticator({
    mode: ctx.config.auth, keys: ctx.stores.apiKeys,
    onTouchError: (err) => logger.warn({ err }, 'recording API key use failed'),
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    const access = routeAccess(request);
    if (access === 'public') return;
    // Only when no header carries a key: a header always wins over the query.
    const token = request.headers['authorization'] === undefined && request.headers['x-api-key'] === undefined ? queryToken(request) : undefined;
    const result = await auth.authorize(token === undefined ? request.headers : { authorization: `Bearer ${token}` }, access);
    if (!result.ok) return sendFailure(request, reply, result.failure);
    setPrincipal(request, result.principal);
  });
  const slowMs = options.slowRequestMs ?? 1000;
  app.addHook('onResponse', async (request, reply) => {
    // A live stream is long by design, not slow.
    const streaming = String(reply.raw.getHeader('content-type') ?? '').startsWith('text/event-stream');
    if (reply.elapsedTime >= slowMs && !streaming) {
      request.log.info({ method: request.method, url: request.routeOptions.url ?? request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'slow request');
    }
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = err.statusCode ?? 500;
    if (status === 413) {
      return sendFailure(request, reply, failure('payload_too_large', `the request body is larger than ${ctx.config.limits.maxBodyBytes} bytes (limits.maxBodyBytes)`));
    }
    if (status === 415) {
      return sendFailure(request, reply, failure('unsupported_media_type', `content type ${request.headers['content-type'] ?? '(none)'} is not accepted here; send application/json (rule packs: text/yaml)`));
    }
    if (status >= 400 && status < 500) {
      const what = err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? `the body is not valid JSON: ${err.message}` : err.message;
      return sendFailure(request, reply, failure(codeForStatus(status), what));
    }
    request.log.error({ err, method: request.method, url: redactUrl(request.url) }, 'request failed with an internal error');
    return sendFailure(request, reply, failure(status === 503 ? 'unavailable' : 'internal', `internal error; the server logged it with request id ${request.id}`));
  });
  app.setNotFoundHandler((request, reply) =>
    sendFailure(request, reply, failure('not_found', `no endpoint ${request.method} ${request.url.slice(0, 200)}; the API is described at /api/v1/openapi.json`)));

  const rules = new RuleService({ store: ctx.stores.rules, registry: ctx.rules });
  registerStatusRoutes(app, ctx);
  registerRuleToolRoutes(app, ctx, rules);
  registerRuleRoutes(app, ctx, rules);
  registerViolationStreamRoute(app, ctx, options.stream);
  registerViolationRoutes(app, ctx);
  registerTraceRoutes(app, ctx);
  registerKeyRoutes(app, ctx);
  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  for (const plugin of options.plugins ?? []) await app.register(plugin);
  return app;
}

/** Listens on `listen.host` / `listen.apiPort` (0 picks a free port) and reports the real port. */
export async function startApiServer(ctx: ServerContext, options: ApiAppOptions = {}): Promise<{ port: number; close(): Promise<void> }> {
  const app = await buildApiApp(ctx, options);
  await app.listen({ host: ctx.config.listen.host, port: ctx.config.listen.apiPort });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : ctx.config.listen.apiPort;
  return { port, close: () => app.close() };
}
