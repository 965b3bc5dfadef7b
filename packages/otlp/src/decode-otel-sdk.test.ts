// The decoders against bytes from the real OpenTelemetry JS serializers, fed by real SDK spans.
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Span } from '@betrace/engine';
import { describe, expect, it } from 'vitest';
import { decodeJsonTraces, decodeProtobufTraces } from './index.ts';

function recordSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'deployment.environment': 'prod', 'host.cpus': 8 }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('shop', '1.2.3');
  const root = tracer.startSpan('POST /checkout', {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'POST', 'http.response.status_code': 200, ratio: 0.25, cached: false, tags: ['a', 'b'], codes: [1, 2] },
  });
  const ctx = trace.setSpan(context.active(), root);
  const child = tracer.startSpan('payment.charge', { kind: SpanKind.CLIENT, attributes: { amount: 1250, big: 2 ** 55 } }, ctx);
  child.addEvent('retry', { attempt: 1 });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  child.end();
  const producer = tracer.startSpan('notify', { kind: SpanKind.PRODUCER, links: [{ context: child.spanContext() }] }, ctx);
  producer.setStatus({ code: SpanStatusCode.OK });
  producer.end();
  root.end();
  return exporter.getFinishedSpans();
}

const KINDS = ['internal', 'server', 'client', 'producer', 'consumer'];
const ns = (t: [number, number]) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

/** What each SDK span must decode to, from the SDK's own view of it. */
function expected(s: ReadableSpan): Partial<Span> {
  return {
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    parentSpanId: s.parentSpanContext?.spanId,
    name: s.name,
    kind: KINDS[s.kind] as Span['kind'],
    status: (['unset', 'ok', 'error'] as const)[s.status.code],
    statusMessage: s.status.message ?? '',
    start: Number(ns(s.startTime)),
    end: Number(ns(s.endTime)),
    duration: Number(ns(s.endTime) - ns(s.startTime)),
    service: 'checkout',
  };
}

describe('real OpenTelemetry JS SDK output', () => {
  const spans = recordSpans();

  it('decodes ProtobufTraceSerializer bytes exactly: ids, parent, kind, status, times, typed attributes, resource', () => {
    const result = decodeProtobufTraces(ProtobufTraceSerializer.serializeRequest(spans)!);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.report.rejectedSpans).toBe(0);
    expect(result.spans).toHaveLength(3);
    result.spans.forEach((s, i) => expect(s).toMatchObject(expected(spans[i]!)));
    const byName = new Map(result.spans.map((s) => [s.name, s]));
    expect(Object.fromEntries(byName.get('POST /checkout')!.attributes)).toEqual({
      'http.request.method': 'POST', 'http.response.status_code': 200, ratio: 0.25, cached: false, tags: ['a', 'b'], codes: [1, 2],
    });
    expect(Object.fromEntries(byName.get('payment.charge')!.attributes)).toEqual({ amount: 1250, big: 2 ** 55 });
    expect(byName.get('payment.charge')!.parentSpanId).toBe(byName.get('POST /checkout')!.spanId);
    const resource = result.spans[0]!.resource;
    expect(resource.get('service.name')).toBe('checkout');
    expect(resource.get('host.cpus')).toBe(8);
    expect(resource.get('deployment.environment')).toBe('prod');
    expect(result.spans.every((s) => s.resource === resource)).toBe(true);
  });

  it('decodes JsonTraceSerializer output to the same spans', () => {
    const proto = decodeProtobufTraces(ProtobufTraceSerializer.serializeRequest(spans)!);
    const json = decodeJsonTraces(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!));
    expect(json.errors).toEqual([]);
    expect(proto.ok && proto.spans).toEqual(json.spans);
  });
});
