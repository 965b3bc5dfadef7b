import type { Attributes, Span, SpanKind, SpanStatus } from '@betrace/engine';
import { decodeKeyValues } from './any-value.ts';
import type { IngestCounter } from './ingest-counter.ts';
import type { RejectReason } from './ingest-limits.ts';
import { FieldError, at, describe, expectInt64, expectString, isObject } from './json-value.ts';

const KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUSES: readonly SpanStatus[] = ['unset', 'ok', 'error'];

/** The resource part shared by all spans of one `resourceSpans` entry. */
export interface ResourceContext {
  resource: Attributes;
  service: string;
}

/**
 * Decodes one OTLP `Span` object; throws `FieldError` (caught by the caller) when it is malformed.
 * With a `counter`, attribute limits apply.
 */
export function decodeSpan(value: unknown, path: string, ctx: ResourceContext, counter?: IngestCounter): Span {
  if (!isObject(value)) throw new FieldError(path, `expected a span object, found ${describe(value)}`);
  const traceId = decodeId(value['traceId'], at(path, 'traceId'), 16, 'invalid_trace_id');
  const spanId = decodeId(value['spanId'], at(path, 'spanId'), 8, 'invalid_span_id');
  const parentSpanId = decodeParentId(value['parentSpanId'], at(path, 'parentSpanId'));
  const startNanos = expectInt64(value['startTimeUnixNano'], at(path, 'startTimeUnixNano'), true);
  const endNanos = expectInt64(value['endTimeUnixNano'], at(path, 'endTimeUnixNano'), true);
  if (endNanos < startNanos) {
    throw new FieldError(
      at(path, 'endTimeUnixNano'),
      `the span ends (${endNanos}) before it starts (${startNanos}); expected endTimeUnixNano >= startTimeUnixNano`,
      'invalid_time',
    );
  }
  const status = decodeStatus(value['status'], at(path, 'status'));
  return {
    traceId,
    spanId,
    parentSpanId,
    name: expectString(value['name'], at(path, 'name')),
    kind: decodeEnum(value['kind'], at(path, 'kind'), 'SPAN_KIND_', KINDS),
    status: status.code,
    statusMessage: status.message,
    start: Number(startNanos),
    end: Number(endNanos),
    duration: Number(endNanos - startNanos),
    service: ctx.service,
    attributes: decodeKeyValues(value['attributes'], at(path, 'attributes'), counter),
    resource: ctx.resource,
  };
}

/** Builds the shared resource context; `service` is `service.name` when it is a string. */
export function decodeResource(value: unknown, path: string, counter?: IngestCounter): ResourceContext {
  if (value === undefined || value === null) return { resource: new Map(), service: '' };
  if (!isObject(value)) throw new FieldError(path, `expected a resource object, found ${describe(value)}`);
  const resource = decodeKeyValues(value['attributes'], at(path, 'attributes'), counter);
  const name = resource.get('service.name');
  return { resource, service: typeof name === 'string' ? name : '' };
}

const HEX = /^[0-9a-fA-F]*$/;

function decodeId(value: unknown, path: string, bytes: number, reason: RejectReason): string {
  const what = `${bytes * 2} hex digits (${bytes} bytes)`;
  if (typeof value !== 'string') {
    throw new FieldError(path, `expected ${what}, found ${value === undefined ? 'nothing' : describe(value)}`, reason);
  }
  if (value.length !== bytes * 2 || !HEX.test(value)) {
    const hint = HEX.test(value) ? '' : ' (OTLP/JSON writes ids as hex, not base64)';
    throw new FieldError(path, `expected ${what}, found ${describe(value)}${hint}`, reason);
  }
  if (/^0+$/.test(value)) throw new FieldError(path, `an all-zero id is invalid; expected ${what}`, reason);
  return value.toLowerCase();
}

/** Empty, absent or all-zero parent ids mean "no parent": the span is a root. */
function decodeParentId(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && /^0{16}$/.test(value)) return undefined;
  return decodeId(value, path, 8, 'invalid_span_id');
}

function decodeEnum<T extends string>(value: unknown, path: string, prefix: string, names: readonly T[]): T {
  if (value === undefined || value === null) return names[0] as T;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < names.length) {
    return names[value] as T;
  }
  if (typeof value === 'string') {
    const upper = value.toUpperCase();
    const short = upper.startsWith(prefix) ? upper.slice(prefix.length) : undefined;
    const found = names.find((n) => n.toUpperCase() === short);
    if (found !== undefined) return found;
  }
  const expected = names.map((n, i) => `${i} or "${prefix}${n.toUpperCase()}"`).join(', ');
  throw new FieldError(path, `expected one of ${expected}; found ${describe(value)}`);
}

function decodeStatus(value: unknown, path: string): { code: SpanStatus; message: string } {
  if (value === undefined || value === null) return { code: 'unset', message: '' };
  if (!isObject(value)) throw new FieldError(path, `expected a status object, found ${describe(value)}`);
  return {
    code: decodeEnum(value['code'], at(path, 'code'), 'STATUS_CODE_', STATUSES),
    message: expectString(value['message'], at(path, 'message')),
  };
}
