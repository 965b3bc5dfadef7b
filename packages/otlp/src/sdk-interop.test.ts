import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { decodeJsonTraces } from './index.ts';

/** What the OpenTelemetry JS SDK's OTLP/JSON exporter sends for two spans. */
function sdkRequest(): string {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'deployment.environment': 'prod' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('interop');
  const parent = tracer.startSpan('POST /checkout', { kind: SpanKind.SERVER, startTime: [1_700_000_000, 0] });
  const child = tracer.startSpan(
    'payment.charge',
    { kind: SpanKind.CLIENT, startTime: [1_700_000_000, 250], attributes: { amount: 1500, ratio: 0.5, ok: true, tags: ['a', 'b'] } },
    trace.setSpan(context.active(), parent),
  );
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'declined' });
  child.end([1_700_000_000, 1_000]);
  parent.end([1_700_000_001, 0]);
  const bytes = JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans());
  return new TextDecoder().decode(bytes);
}

describe('decodeJsonTraces on what the OpenTelemetry JS SDK exports', () => {
  it('decodes ids, times, kinds, status, attributes and resource', () => {
    const result = decodeJsonTraces(sdkRequest());
    expect(result.errors).toEqual([]);
    const [trace0] = result.traces;
    const byName = new Map(trace0?.spans.map((s) => [s.name, s]));
    const parent = byName.get('POST /checkout');
    const child = byName.get('payment.charge');
    expect(parent).toMatchObject({ kind: 'server', status: 'unset', service: 'checkout', parentSpanId: undefined });
    expect(parent?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(child).toMatchObject({ kind: 'client', status: 'error', statusMessage: 'declined', parentSpanId: parent?.spanId, duration: 750 });
    expect(Object.fromEntries(child?.attributes ?? [])).toEqual({ amount: 1500, ratio: 0.5, ok: true, tags: ['a', 'b'] });
    expect(child?.resource.get('deployment.environment')).toBe('prod');
    expect(parent?.duration).toBe(1e9);
  });
});
