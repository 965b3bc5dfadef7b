// What the OpenTelemetry Collector's `loadbalancing` exporter does with `routing_key: traceID`:
// every span of a trace goes to the same backend, chosen by a hash of the trace id. The Collector
// places backends on a consistent-hash ring (so adding one moves few traces); a plain hash modulo
// the backend count has the property these tests need — one trace, one instance — and no more.
import { crc32 } from 'node:zlib';

/** One span to send, with the service that emits it. */
export interface RoutedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
}

/** The backend index for a trace id (hex), among `backends` instances. */
export function backendFor(traceId: string, backends: number): number {
  return crc32(Buffer.from(traceId, 'hex')) % backends;
}

/** Posts spans as one OTLP/JSON request to `http://127.0.0.1:<port>/v1/traces`; returns the HTTP status. */
export async function sendSpans(otlpHttpPort: number, spans: readonly RoutedSpan[]): Promise<number> {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const services = [...new Set(spans.map((s) => s.service))];
  const body = {
    resourceSpans: services.map((service) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{
        scope: { name: 'e2e-router' },
        spans: spans.filter((s) => s.service === service).map((s) => ({
          traceId: s.traceId, spanId: s.spanId, ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
          name: s.name, kind: 1, startTimeUnixNano: String(nowNs), endTimeUnixNano: String(nowNs + 5_000_000n),
        })),
      }],
    })),
  };
  const res = await fetch(`http://127.0.0.1:${otlpHttpPort}/v1/traces`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Sends each span in its own request to the instance its trace routes to. */
export async function route(ports: readonly number[], spans: readonly RoutedSpan[]): Promise<void> {
  for (const s of spans) {
    const status = await sendSpans(ports[backendFor(s.traceId, ports.length)]!, [s]);
    if (status !== 200) throw new Error(`OTLP/HTTP answered ${status} for span ${s.spanId}`);
  }
}
