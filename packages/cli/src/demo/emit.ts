import { type Context, ROOT_CONTEXT, SpanKind, SpanStatusCode, type Tracer, defaultTextMapGetter, defaultTextMapSetter, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { PlannedSpan, RequestPlan, Service } from './plan.ts';

const KINDS: Record<PlannedSpan['kind'], SpanKind> = { server: SpanKind.SERVER, client: SpanKind.CLIENT, internal: SpanKind.INTERNAL };
const propagator = new W3CTraceContextPropagator();

/**
 * Emits a planned request through the real SDK, one tracer per service. Where a call crosses into
 * another service the context travels as a W3C `traceparent` header, as over HTTP, so every span
 * shares the trace id and the callee's server span is the child of the caller's client span.
 */
export function emitRequest(tracers: Readonly<Record<Service, Tracer>>, plan: RequestPlan, startMs: number): string {
  const emit = (node: PlannedSpan, parent: { ctx: Context; service: Service } | undefined): string => {
    let ctx = parent?.ctx ?? ROOT_CONTEXT;
    if (parent !== undefined && node.kind === 'server' && parent.service !== node.service) {
      const headers: Record<string, string> = {};
      propagator.inject(ctx, headers, defaultTextMapSetter);
      ctx = propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
    }
    const span = tracers[node.service].startSpan(node.name, { kind: KINDS[node.kind], attributes: node.attributes, startTime: startMs + node.startMs }, ctx);
    if (node.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: node.error });
    const inner = { ctx: trace.setSpan(ctx, span), service: node.service };
    for (const child of node.children) emit(child, inner);
    span.end(startMs + node.endMs);
    return span.spanContext().traceId;
  };
  return emit(plan.root, undefined);
}
