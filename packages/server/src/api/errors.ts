import type { FastifyReply, FastifyRequest } from 'fastify';

/** Every error code the REST API answers with; stable API, documented in the OpenAPI document. */
export const API_ERROR_STATUS = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
  unavailable: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

/** An expected failure on its way to the client: code, message, and optional structured details. */
export interface ApiFailure {
  code: ApiErrorCode;
  message: string;
  /** Machine-readable detail, e.g. rule diagnostics or the fields that failed validation. */
  details?: unknown;
}

/** The one error envelope of the API: `{ error: { code, message, requestId, details? } }`. */
export interface ErrorEnvelope {
  error: { code: ApiErrorCode; message: string; requestId: string; details?: unknown };
}

export function failure(code: ApiErrorCode, message: string, details?: unknown): ApiFailure {
  return details === undefined ? { code, message } : { code, message, details };
}

/** Sends the envelope with the status its code maps to. */
export function sendFailure(request: FastifyRequest, reply: FastifyReply, f: ApiFailure): FastifyReply {
  const body: ErrorEnvelope = { error: { code: f.code, message: f.message, requestId: String(request.id) } };
  if (f.details !== undefined) body.error.details = f.details;
  return reply.code(API_ERROR_STATUS[f.code]).type('application/json; charset=utf-8').send(body);
}

/** Maps an HTTP status from Fastify or a plugin to the closest code (unknown statuses become internal). */
export function codeForStatus(status: number): ApiErrorCode {
  const found = (Object.entries(API_ERROR_STATUS) as [ApiErrorCode, number][]).find(([, s]) => s === status);
  if (found) return found[0];
  return status >= 400 && status < 500 ? 'invalid_request' : 'internal';
}

/** JSON schema of the envelope, for the OpenAPI document. */
export const ERROR_ENVELOPE_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId'],
      properties: {
        code: { type: 'string', enum: Object.keys(API_ERROR_STATUS) },
        message: { type: 'string' },
        requestId: { type: 'string' },
        details: {},
      },
    },
  },
} as const;
