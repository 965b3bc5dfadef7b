// Test support: spans made by the real OpenTelemetry JS SDK, and bytes of google.rpc messages read
// with protobufjs (independently of our hand-written encoder). Not imported by production code.
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import protobuf from 'protobufjs';

/** Two finished SDK spans (a server span and its client child) of one trace. */
export function sdkSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('receiver-test');
  const parent = tracer.startSpan('POST /checkout', { kind: SpanKind.SERVER });
  const child = tracer.startSpan('payment.charge', { kind: SpanKind.CLIENT, attributes: { amount: 1500, currency: 'EUR', retried: true } }, trace.setSpan(context.active(), parent));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'declined' });
  child.end();
  parent.end();
  return memory.getFinishedSpans();
}

/** Sends spans with an SDK exporter and resolves with its result code and error. */
export function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]): Promise<{ code: number; error?: Error }> {
  return new Promise((resolve) => exporter.export(spans, (result) => resolve({ code: result.code, ...(result.error ? { error: result.error } : {}) })));
}

const rpc = protobuf.Root.fromJSON({
  nested: {
    Status: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 }, details: { rule: 'repeated', type: 'Any', id: 3 } } },
    Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } },
    RetryInfo: { fields: { retry_delay: { type: 'Duration', id: 1 } } },
    Duration: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
    ExportTraceServiceResponse: { fields: { partial_success: { type: 'PartialSuccess', id: 1 } } },
    PartialSuccess: { fields: { rejected_spans: { type: 'int64', id: 1 }, error_message: { type: 'string', id: 2 } } },
  },
});

/** A google.rpc.Status read with protobufjs; `retrySeconds` from its RetryInfo detail, if any. */
export function decodeRpcStatus(bytes: Uint8Array): { code: number; message: string; typeUrls: string[]; retrySeconds?: number } {
  const status = rpc.lookupType('Status').toObject(rpc.lookupType('Status').decode(bytes), { longs: Number, defaults: true }) as {
    code: number; message: string; details: { type_url: string; value: Uint8Array }[];
  };
  const retry = status.details.find((d) => d.type_url === 'type.googleapis.com/google.rpc.RetryInfo');
  const out = { code: status.code, message: status.message, typeUrls: status.details.map((d) => d.type_url) };
  if (retry === undefined) return out;
  const info = rpc.lookupType('RetryInfo').toObject(rpc.lookupType('RetryInfo').decode(retry.value), { longs: Number, defaults: true }) as { retry_delay: { seconds: number } };
  return { ...out, retrySeconds: info.retry_delay.seconds };
}

/** An ExportTraceServiceResponse read with protobufjs. */
export function decodeExportResponse(bytes: Uint8Array): { rejectedSpans: number; errorMessage: string } {
  const type = rpc.lookupType('ExportTraceServiceResponse');
  const r = type.toObject(type.decode(bytes), { longs: Number }) as { partial_success?: { rejected_spans?: number; error_message?: string } };
  return { rejectedSpans: r.partial_success?.rejected_spans ?? 0, errorMessage: r.partial_success?.error_message ?? '' };
}
