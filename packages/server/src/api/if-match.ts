import type { FastifyRequest } from 'fastify';
import { type ApiFailure, failure } from './errors.ts';

/**
 * The version a write was made against: the body's `version`, else `If-Match: <version>` (quoted
 * or weak ETags accepted, as browsers send them back). Undefined means "no concurrency check".
 */
export function expectedVersion(request: FastifyRequest, bodyVersion: number | undefined): { ok: true; value: number | undefined } | { ok: false; failure: ApiFailure } {
  const header = request.headers['if-match'];
  if (header === undefined || header === '*') return { ok: true, value: bodyVersion };
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m) return { ok: false, failure: failure('invalid_request', `If-Match must be the rule version the change was made against, e.g. If-Match: "3" (got ${JSON.stringify(header).slice(0, 40)})`) };
  const fromHeader = Number(m[1]);
  if (bodyVersion !== undefined && bodyVersion !== fromHeader) {
    return { ok: false, failure: failure('invalid_request', `If-Match (${fromHeader}) and body version (${bodyVersion}) disagree; send one of them`) };
  }
  return { ok: true, value: fromHeader };
}
