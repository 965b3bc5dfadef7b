import type { Tracer } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { SERVICES, type Service } from './plan.ts';
import type { Protocol } from './protocol.ts';


/** Export outcome so far, for the summary line: failures would otherwise be silent. */
export interface ExportStats {
  exportedSpans: number;
  failedSpans: number;
  lastError: string | undefined;
}

/** The company's instrumentation: a TracerProvider per service (its own resource) over one export pipeline. */
export interface CompanyTelemetry {
  tracers: Record<Service, Tracer>;
  stats: ExportStats;
  /** Exports everything ended so far and stops the providers. */
  shutdown(): Promise<void>;
}

/** Builds the exporter for `protocol`; the gRPC exporter (and grpc-js) loads only when asked for. */
export async function createExporter(protocol: Protocol, endpoint: string): Promise<SpanExporter> {
  const base = endpoint.replace(/\/+$/, '');
  const httpUrl = base.endsWith('/v1/traces') ? base : `${base}/v1/traces`;
  switch (protocol) {
    case 'http/protobuf': {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
      return new OTLPTraceExporter({ url: httpUrl });
    }
    case 'http/json': {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
      return new OTLPTraceExporter({ url: httpUrl });
    }
    case 'grpc': {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-grpc');
      return new OTLPTraceExporter({ url: base });
    }
    default: {
      const never: never = protocol;
      throw new Error(`unknown protocol ${String(never)}`);
    }
  }
}

/**
 * One provider per service so each span carries its service's resource; they share one batch
 * processor, so all spans of a request leave in the same export request and BeTrace sees the
 * trace complete at once (separate timers could split a trace across its quiet period).
 */
export function companyTelemetry(exporter: SpanExporter): CompanyTelemetry {
  const stats: ExportStats = { exportedSpans: 0, failedSpans: 0, lastError: undefined };
  const counting: SpanExporter = {
    export(spans: ReadableSpan[], done: (r: ExportResult) => void) {
      exporter.export(spans, (r) => {
        if (r.code === ExportResultCode.SUCCESS) stats.exportedSpans += spans.length;
        else {
          stats.failedSpans += spans.length;
          stats.lastError = r.error?.message ?? 'export failed';
        }
        done(r);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
  const processor = new BatchSpanProcessor(counting, { scheduledDelayMillis: 200, maxExportBatchSize: 2048, maxQueueSize: 100_000 });
  const providers = SERVICES.map((service) => new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.namespace': 'betrace-demo', 'deployment.environment.name': 'demo' }),
    spanProcessors: [processor],
  }));
  const tracers = Object.fromEntries(SERVICES.map((s, i) => [s, providers[i]!.getTracer('betrace-demo', '1')])) as Record<Service, Tracer>;
  return {
    tracers, stats,
    shutdown: async () => {
      await processor.forceFlush();
      await Promise.all(providers.map((p) => p.shutdown()));
    },
  };
}
