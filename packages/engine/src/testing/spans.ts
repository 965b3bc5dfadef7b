// Span fixtures for tests: only what a test cares about, sensible defaults for the rest.
import type { AttrValue, Span, SpanKind, SpanStatus, Trace } from '../span.ts';

export interface SpanSpec {
  id: string;
  name: string;
  parent?: string;
  start?: number;
  end?: number;
  kind?: SpanKind;
  status?: SpanStatus;
  statusMessage?: string;
  service?: string;
  attrs?: Record<string, AttrValue>;
  resource?: Record<string, AttrValue>;
}

/** A span from a compact spec; times default to [0, 1]. */
export function span(spec: SpanSpec): Span {
  const start = spec.start ?? 0;
  const end = spec.end ?? start + 1;
  const resource = new Map<string, AttrValue>(Object.entries(spec.resource ?? {}));
  if (spec.service !== undefined) resource.set('service.name', spec.service);
  return {
    traceId: 't'.repeat(32),
    spanId: spec.id,
    parentSpanId: spec.parent,
    name: spec.name,
    kind: spec.kind ?? 'internal',
    status: spec.status ?? 'unset',
    statusMessage: spec.statusMessage ?? '',
    start,
    end,
    duration: end - start,
    service: spec.service ?? '',
    attributes: new Map(Object.entries(spec.attrs ?? {})),
    resource,
  };
}

/** A trace of the given spans, in this arrival order. */
export function trace(...specs: SpanSpec[]): Trace {
  return { traceId: 't'.repeat(32), spans: specs.map(span) };
}
