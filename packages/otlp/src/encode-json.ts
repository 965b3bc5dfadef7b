import type { ExportResponse } from './encode-protobuf.ts';
import type { OutgoingScope, OutgoingSpan } from './outgoing-span.ts';
import { BETRACE_SCOPE, KIND_NUMBERS, STATUS_NUMBERS, groupByResource, idBytes } from './outgoing-span.ts';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** OTLP/JSON `ExportTraceServiceResponse`: `{}` when nothing was rejected and there is no message. */
export function exportTraceServiceResponseJson(response: ExportResponse): Json {
  if (response.rejectedSpans === 0 && response.errorMessage === '') return {};
  return { partialSuccess: { rejectedSpans: String(response.rejectedSpans), errorMessage: response.errorMessage } };
}

/** OTLP/JSON `ExportTraceServiceRequest` (hex ids, int64 as decimal strings), the same content as `encodeTraceRequest`. */
export function traceRequestJson(spans: readonly OutgoingSpan[], scope: OutgoingScope = BETRACE_SCOPE): Json {
  const scopeJson: { [key: string]: Json } = { name: scope.name };
  if (scope.version) scopeJson['version'] = scope.version;
  return {
    resourceSpans: groupByResource(spans).map((group) => ({
      resource: { attributes: Object.entries(group.resource).map(([key, value]) => ({ key, value: { stringValue: value } })) },
      scopeSpans: [
        {
          scope: scopeJson,
          spans: group.spans.map(spanJson),
        },
      ],
    })),
  };
}

function spanJson(span: OutgoingSpan): Json {
  idBytes(span.traceId, 16, 'traceId');
  idBytes(span.spanId, 8, 'spanId');
  const out: { [key: string]: Json } = {
    traceId: span.traceId.toLowerCase(),
    spanId: span.spanId.toLowerCase(),
  };
  if (span.parentSpanId !== undefined) {
    idBytes(span.parentSpanId, 8, 'parentSpanId');
    out['parentSpanId'] = span.parentSpanId.toLowerCase();
  }
  out['name'] = span.name;
  out['kind'] = KIND_NUMBERS[span.kind];
  out['startTimeUnixNano'] = span.startNs.toString();
  out['endTimeUnixNano'] = span.endNs.toString();
  out['attributes'] = Object.entries(span.attributes).map(([key, value]) => ({ key, value: anyValueJson(value) }));
  if (span.status !== undefined) {
    out['status'] = { code: STATUS_NUMBERS[span.status.code], ...(span.status.message ? { message: span.status.message } : {}) };
  }
  return out;
}

function anyValueJson(value: string | number | boolean): Json {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Number.isSafeInteger(value)) return { intValue: String(value) };
  return { doubleValue: Number.isFinite(value) ? value : String(value) };
}
