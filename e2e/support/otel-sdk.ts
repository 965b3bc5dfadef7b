// Sends spans the way an instrumented service does: the OpenTelemetry JS SDK with a
// BatchSpanProcessor and one of the three OTLP trace exporters.
import { type Context, type Span, type SpanContext, SpanKind, type Tracer, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as HttpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';

type ExportResult = Parameters<Parameters<SpanExporter['export']>[1]>[0];
/** ExportResultCode.SUCCESS of @opentelemetry/core (a transitive dependency, so not imported). */
const SUCCESS = 0;

/** The three OTLP trace exporters, named by the receiver protocol label BeTrace counts them under. */
export type Transport = 'grpc' | 'http_protobuf' | 'http_json';

export const TRANSPORTS: readonly Transport[] = ['grpc', 'http_protobuf', 'http_json'];

function exporterFor(transport: Transport, ports: { otlpGrpc: number; otlpHttp: number }): SpanExporter {
  switch (transport) {
    case 'grpc':
      return new GrpcExporter({ url: `http://127.0.0.1:${ports.otlpGrpc}` });
    case 'http_protobuf':
      return new HttpProtoExporter({ url: `http://127.0.0.1:${ports.otlpHttp}/v1/traces` });
    case 'http_json':
      return new HttpJsonExporter({ url: `http://127.0.0.1:${ports.otlpHttp}/v1/traces` });
    default: {
      const never: never = transport;
      throw new Error(`unknown transport ${String(never)}`);
    }
  }
}

/** Passes every export to the real exporter and keeps the results, so a failed delivery fails the test. */
class ResultRecorder implements SpanExporter {
  readonly results: ExportResult[] = [];
  private readonly inner: SpanExporter;

  constructor(inner: SpanExporter) {
    this.inner = inner;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      this.results.push(result);
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** One instrumented "service": a tracer whose spans go to BeTrace over `transport`. */
export class TestService {
  readonly tracer: Tracer;
  private readonly provider: BasicTracerProvider;
  private readonly recorder: ResultRecorder;

  constructor(name: string, transport: Transport, ports: { otlpGrpc: number; otlpHttp: number }) {
    this.recorder = new ResultRecorder(exporterFor(transport, ports));
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': name }),
      spanProcessors: [new BatchSpanProcessor(this.recorder, { scheduledDelayMillis: 60_000 })],
    });
    this.tracer = this.provider.getTracer('betrace-e2e');
  }

  /** Exports every ended span now; throws unless BeTrace accepted all of them. */
  async flush(): Promise<void> {
    await this.provider.forceFlush();
    const failed = this.recorder.results.filter((r) => r.code !== SUCCESS);
    if (failed.length > 0) throw new Error(`export failed: ${failed.map((r) => String(r.error)).join('; ')}`);
    if (this.recorder.results.length === 0) throw new Error('nothing was exported');
  }

  async shutdown(): Promise<void> {
    await this.provider.shutdown();
  }
}

/** A context whose active span is `parent` (a live span or the context of one that ended). */
export function childOf(parent: Span | SpanContext): Context {
  return 'spanContext' in parent ? trace.setSpan(context.active(), parent) : trace.setSpanContext(context.active(), parent);
}

export { SpanKind };
