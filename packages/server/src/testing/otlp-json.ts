/** One span for `otlpJson`; times in milliseconds from a fixed trace start. */
export interface TestSpan {
  traceId?: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
  attributes?: Record<string, string | number | boolean>;
  startMs?: number;
  durationMs?: number;
}

export const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const T0_NS = 1_763_900_000_000_000_000n;

/** An OTLP/JSON ExportTraceServiceRequest with one resource per service, as an SDK sends it. */
export function otlpJson(spans: readonly TestSpan[]): { resourceSpans: unknown[] } {
  const services = [...new Set(spans.map((s) => s.service))];
  return {
    resourceSpans: services.map((service) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{
        scope: { name: 'test' },
        spans: spans.filter((s) => s.service === service).map((s) => {
          const start = T0_NS + BigInt((s.startMs ?? 0) * 1e6);
          return {
            traceId: s.traceId ?? TRACE_ID, spanId: s.spanId, ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
            name: s.name, kind: 1, startTimeUnixNano: String(start), endTimeUnixNano: String(start + BigInt((s.durationMs ?? 10) * 1e6)),
            attributes: Object.entries(s.attributes ?? {}).map(([key, v]) => ({
              key, value: typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v },
            })),
          };
        }),
      }],
    })),
  };
}
