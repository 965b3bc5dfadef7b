import type { Span } from '@betrace/engine';

/** A span for pipeline tests: id `n` starts at n ms, lasts 1 ms, service `api`; ids padded to 16 hex. */
export function pipelineSpan(traceId: string, id: string, name: string, parent?: string, attrs: Record<string, string | number | boolean> = {}): Span {
  const start = 1.7e18 + Number.parseInt(id, 16) * 1e6;
  return {
    traceId, spanId: id.padStart(16, '0'), parentSpanId: parent?.padStart(16, '0'), name, kind: 'internal', status: 'unset',
    statusMessage: '', start, end: start + 1e6, duration: 1e6, service: 'api',
    attributes: new Map(Object.entries(attrs)), resource: new Map([['service.name', 'api']]),
  };
}
