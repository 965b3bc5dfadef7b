import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Principal, RouteAccess } from '../auth/roles.ts';
import { type ApiFailure, ERROR_ENVELOPE_SCHEMA, failure, sendFailure } from './errors.ts';

/** What a handler gets: validated input, who is asking, and a way to answer with a failure. */
export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  principal: Principal;
  request: FastifyRequest;
  reply: FastifyReply;
  fail(f: ApiFailure): FastifyReply;
}

/**
 * One API route. The zod schemas are the single source of truth: they validate the request and are
 * turned into the JSON Schema of the OpenAPI document (`z.toJSONSchema`).
 */
export interface RouteSpec<B, Q, P> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  access: RouteAccess;
  summary: string;
  tags: string[];
  description?: string;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  /**
   * The API key may also come as `?access_token=` (EventSource cannot set headers). The query
   * schema must declare `access_token`; every other route refuses it as an unknown parameter.
   */
  queryToken?: boolean;
  /** Content types the body may have (default `application/json`). */
  consumes?: string[];
  /** For the OpenAPI document: success status → description, and the body schema when JSON. */
  responses?: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  handler(input: RouteInput<B, Q, P>): Promise<unknown>;
}

// Public routes never act on anyone's behalf; this principal only fills the handler's argument.
const PUBLIC: Principal = { id: 'public', name: 'public', role: 'viewer', actor: 'public' };
const principals = new WeakMap<FastifyRequest, Principal>();

/** Remembers who made the request (set by the auth hook). */
export function setPrincipal(request: FastifyRequest, principal: Principal): void {
  principals.set(request, principal);
}

/** The access a request's route demands; routes that declare none (console assets, 404s) are public. */
export function routeAccess(request: FastifyRequest): RouteAccess {
  const access = (request.routeOptions.config as { access?: RouteAccess } | undefined)?.access;
  return access ?? 'public';
}

/** The API key given as `?access_token=`, on the routes that accept one there. */
export function queryToken(request: FastifyRequest): string | undefined {
  if ((request.routeOptions.config as { queryToken?: boolean } | undefined)?.queryToken !== true) return undefined;
  const token = (request.query as Record<string, unknown> | undefined)?.['access_token'];
  return typeof token === 'string' && token !== '' ? token : undefined;
}

/** A URL fit for logs: an `access_token` query value is replaced. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/gi, '$1[redacted]');
}

/** Registers a route on `app` with validation, access control and OpenAPI documentation. */
export function addRoute<B = undefined, Q = undefined, P = undefined>(app: FastifyInstance, spec: RouteSpec<B, Q, P>): void {
  const consumes = spec.consumes ?? ['application/json'];
  const response: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(spec.responses ?? {})) {
    response[status] = r.schema
      ? { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: jsonSchema(r.schema, 'output') } } }
      : { description: r.description, ...(r.contentType ? { content: { [r.contentType]: { schema: { type: 'string' } } } } : {}) };
  }
  response['4XX'] = { description: 'Error envelope', content: { 'application/json': { schema: ERROR_ENVELOPE_SCHEMA } } };
  app.route({
    method: spec.method,
    url: spec.url,
    config: { access: spec.access, queryToken: spec.queryToken === true },
    schema: {
      summary: spec.summary,
      tags: spec.tags,
      ...(spec.description ? { description: spec.description } : {}),
      ...(spec.access === 'public' ? { security: [] } : { 'x-role': spec.access }),
      ...(spec.body ? { body: jsonSchema(spec.body, 'input'), consumes } : {}),
      ...(spec.query ? { querystring: jsonSchema(spec.query, 'input') } : {}),
      ...(spec.params ? { params: jsonSchema(spec.params, 'input') } : {}),
      response,
    },
    handler: async (request, reply) => {
      const fail = (f: ApiFailure): FastifyReply => sendFailure(request, reply, f);
      // A bodyless request (no Content-Type) is left to the body schema, which may make the body optional.
      if (spec.body && request.body !== undefined && !acceptsContentType(request, consumes)) {
        return fail(failure('unsupported_media_type', `send the body as ${consumes.join(' or ')} (got ${request.headers['content-type'] ?? 'no Content-Type'})`));
      }
      const params = parse(spec.params, request.params, 'path');
      if (!params.ok) return fail(params.failure);
      const query = parse(spec.query, request.query, 'query');
      if (!query.ok) return fail(query.failure);
      const body = parse(spec.body, request.body, 'body');
      if (!body.ok) return fail(body.failure);
      const principal = principals.get(request) ?? (spec.access === 'public' ? PUBLIC : undefined);
      if (principal === undefined) throw new Error(`route ${spec.url} ran without a principal`);
      return spec.handler({ body: body.value as B, query: query.value as Q, params: params.value as P, principal, request, reply, fail });
    },
  });
}

function acceptsContentType(request: FastifyRequest, consumes: readonly string[]): boolean {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return consumes.includes(type);
}

function parse(schema: z.ZodType | undefined, value: unknown, where: string): { ok: true; value: unknown } | { ok: false; failure: ApiFailure } {
  if (schema === undefined) return { ok: true, value: undefined };
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  const issues = r.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  const first = issues[0];
  return { ok: false, failure: failure('invalid_request', first ? `${first.path}: ${first.message}` : `invalid ${where}`, { issues }) };
}

/** JSON Schema for the OpenAPI document (2020-12, as OpenAPI 3.1 uses). */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}
