import type { OutgoingScope, OutgoingSpan } from './outgoing-span.ts';
import { BETRACE_SCOPE, KIND_NUMBERS, STATUS_NUMBERS, groupByResource, idBytes } from './outgoing-span.ts';
import { ProtoWriter } from './proto-writer.ts';

/** What a receiver answers: `rejectedSpans` and a message, per OTLP partial success. */
export interface ExportResponse {
  rejectedSpans: number;
  errorMessage: string;
}

/** Protobuf `ExportTraceServiceResponse`; empty (zero bytes) when nothing was rejected and there is no message. */
export function encodeExportTraceServiceResponse(response: ExportResponse): Uint8Array {
  const w = new ProtoWriter();
  if (response.rejectedSpans > 0 || response.errorMessage !== '') {
    w.message(1, () => {
      if (response.rejectedSpans > 0) w.int64(1, response.rejectedSpans);
      if (response.errorMessage !== '') w.string(2, response.errorMessage);
    });
  }
  return w.finish();
}

/** Protobuf `ExportTraceServiceRequest` holding `spans`, one ResourceSpans per distinct resource. */
export function encodeTraceRequest(spans: readonly OutgoingSpan[], scope: OutgoingScope = BETRACE_SCOPE): Uint8Array {
  const w = new ProtoWriter();
  for (const group of groupByResource(spans)) {
    w.message(1, () => {
      w.message(1, () => {
        for (const [key, value] of Object.entries(group.resource)) {
          w.message(1, () => {
            w.string(1, key);
            w.message(2, () => w.string(1, value));
          });
        }
      });
      w.message(2, () => {
        w.message(1, () => {
          w.string(1, scope.name);
          if (scope.version) w.string(2, scope.version);
        });
        for (const span of group.spans) w.message(2, () => writeSpan(w, span));
      });
    });
  }
  return w.finish();
}

function writeSpan(w: ProtoWriter, span: OutgoingSpan): void {
  w.bytes(1, idBytes(span.traceId, 16, 'traceId'));
  w.bytes(2, idBytes(span.spanId, 8, 'spanId'));
  if (span.parentSpanId !== undefined) w.bytes(4, idBytes(span.parentSpanId, 8, 'parentSpanId'));
  w.string(5, span.name);
  const kind = KIND_NUMBERS[span.kind];
  if (kind !== 0) w.uint(6, kind);
  w.fixed64(7, span.startNs);
  w.fixed64(8, span.endNs);
  for (const [key, value] of Object.entries(span.attributes)) {
    w.message(9, () => {
      w.string(1, key);
      w.message(2, () => {
        if (typeof value === 'string') w.string(1, value);
        else if (typeof value === 'boolean') w.uint(2, value ? 1 : 0);
        else if (Number.isSafeInteger(value)) w.int64(3, value);
        else w.double(4, value);
      });
    });
  }
  if (span.status !== undefined) {
    const status = span.status;
    w.message(15, () => {
      if (status.message) w.string(2, status.message);
      const code = STATUS_NUMBERS[status.code];
      if (code !== 0) w.uint(3, code);
    });
  }
}
