// The traces the browser tests send: requests instrumented with the OpenTelemetry SDK, and an
// OTLP/JSON document to paste into the rule editor's Test panel.
import { SpanKind, type TestService, childOf } from '../../support/otel-sdk.ts';

/** GET /users/{id} → [auth.check →] db.query on PII; the ids the assertions need. */
export function userRequest(service: TestService, withAuth: boolean): { traceId: string; rootId: string; queryId: string } {
  const t0 = Date.now() - 50;
  const root = service.tracer.startSpan('GET /users/{id}', { kind: SpanKind.SERVER, startTime: t0 });
  if (withAuth) service.tracer.startSpan('auth.check', { startTime: t0 + 1 }, childOf(root)).end(t0 + 4);
  const query = service.tracer.startSpan('db.query', {
    kind: SpanKind.CLIENT, startTime: t0 + 5,
    attributes: { 'db.system': 'postgresql', 'data.contains_pii': true, 'user.id': 42 },
  }, childOf(root));
  query.end(t0 + 18);
  root.end(t0 + 22);
  return { traceId: root.spanContext().traceId, rootId: root.spanContext().spanId, queryId: query.spanContext().spanId };
}

/** POST /checkout → [fraud.check →] payment.charge of `amount`. */
export function checkout(payments: TestService, amount: number, withFraudCheck: boolean): void {
  const t0 = Date.now() - 80;
  const root = payments.tracer.startSpan('POST /checkout', { kind: SpanKind.SERVER, startTime: t0 });
  if (withFraudCheck) payments.tracer.startSpan('fraud.check', { startTime: t0 + 2 }, childOf(root)).end(t0 + 20);
  payments.tracer.startSpan('payment.charge', { kind: SpanKind.CLIENT, startTime: t0 + 25, attributes: { amount, currency: 'EUR' } }, childOf(root)).end(t0 + 60);
  root.end(t0 + 70);
}

/** One users-api trace of `spans` as OTLP/JSON, what the Test panel takes as a pasted trace. */
export function otlpJson(spans: { id: string; parent?: string; name: string; startMs: number; endMs: number; pii?: boolean }[]): string {
  const ns = (ms: number) => `${BigInt(1_763_900_000_000 + ms) * 1_000_000n}`;
  return JSON.stringify({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'users-api' } }] },
      scopeSpans: [{
        spans: spans.map((s) => ({
          traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: s.id, ...(s.parent ? { parentSpanId: s.parent } : {}),
          name: s.name, kind: 1, startTimeUnixNano: ns(s.startMs), endTimeUnixNano: ns(s.endMs),
          attributes: s.pii ? [{ key: 'data.contains_pii', value: { boolValue: true } }] : [],
        })),
      }],
    }],
  }, null, 2);
}
