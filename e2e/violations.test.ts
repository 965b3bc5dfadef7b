// The whole path, from outside: OpenTelemetry SDK → OTLP (gRPC, HTTP/protobuf, HTTP/JSON) → rules
// created over the REST API → signed violations with their witnesses → /metrics → betrace.violation
// spans exported into the same trace. Once with everything on the main thread, once with the
// traces sharded over two worker threads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type ViolationView, metricValue } from './support/api-client.ts';
import { type BetraceProcess, startBetrace, stopAll, tempDataDir } from './support/betrace-process.ts';
import { SpanKind, TRANSPORTS, TestService, type Transport, childOf } from './support/otel-sdk.ts';
import { type OtlpSink, startOtlpSink } from './support/otlp-sink.ts';
import { pollUntil } from './support/poll.ts';

const RULE = {
  id: 'pii-needs-auth',
  name: 'PII access needs an authorization check',
  severity: 'critical',
  condition: 'when { q: db.query.where(data.contains_pii == true and user.email != null) } always { auth.check before q }',
};


/** One request's trace: GET /users/{id} → [auth.check →] db.query; returns the ids that matter. */
function userRequest(service: TestService, withAuth: boolean): { traceId: string; queryId: string } {
  const t0 = Date.now() - 50;
  const root = service.tracer.startSpan('GET /users/{id}', { kind: SpanKind.SERVER, startTime: t0 });
  if (withAuth) service.tracer.startSpan('auth.check', { startTime: t0 + 1 }, childOf(root)).end(t0 + 2);
  const query = service.tracer.startSpan('db.query', {
    kind: SpanKind.CLIENT, startTime: t0 + 3,
    attributes: { 'db.system': 'postgresql', 'data.contains_pii': true, 'user.email': 'jane.doe@example.com' },
  }, childOf(root));
  query.end(t0 + 8);
  root.end(t0 + 10);
  return { traceId: root.spanContext().traceId, queryId: query.spanContext().spanId };
}

describe.each([0, 2])('BeTrace end to end, %i worker threads', (workers) => {
  let betrace: BetraceProcess;
  let sink: OtlpSink;
  let api: ApiClient;

  beforeAll(async () => {
    sink = await startOtlpSink();
    betrace = await startBetrace(tempDataDir(), ['--quiet-period', '300ms', '--idle-timeout', '1s', '--export-endpoint', sink.url, '--workers', String(workers)]);
    api = new ApiClient(betrace.apiUrl, betrace.adminKey);
  }, 40_000);

  afterAll(async () => {
    await stopAll();
    await sink?.close();
  }, 40_000);

  it('refuses the API without a key and knows the printed admin key', async () => {
    expect(betrace.adminKey).toMatch(/^btk_/);
    const anonymous = await new ApiClient(betrace.apiUrl).get<{ error: { code: string; requestId: string } }>('/api/v1/violations');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toMatchObject({ code: 'unauthenticated' });
    expect(anonymous.body.error.requestId).not.toBe('');
    const me = await api.get<{ role: string }>('/api/v1/me');
    expect(me).toMatchObject({ status: 200, body: { role: 'admin' } });
  });

  it('records, signs, counts and exports a violation per offending trace, over every OTLP transport', async () => {
    const created = await api.post('/api/v1/rules', RULE);
    expect(created.status).toBe(201);

    const sent = new Map<Transport, { traceId: string; queryId: string }>();
    const compliant: string[] = [];
    for (const transport of TRANSPORTS) {
      const service = new TestService(`users-${transport}`, transport, betrace.ports);
      sent.set(transport, userRequest(service, false));
      compliant.push(userRequest(service, true).traceId);
      await service.flush();
      await service.shutdown();
    }

    const violations = await pollUntil('a violation per offending trace', async () => {
      const page = await api.get<{ items: ViolationView[] }>(`/api/v1/violations?ruleId=${RULE.id}`);
      return page.body.items.length >= TRANSPORTS.length ? page.body.items : undefined;
    });
    expect(violations).toHaveLength(TRANSPORTS.length);
    for (const [transport, { traceId, queryId }] of sent) {
      const v = violations.find((x) => x.traceId === traceId);
      expect(v, `violation for the ${transport} trace`).toBeDefined();
      expect(v).toMatchObject({ ruleId: RULE.id, severity: 'critical', reason: 'missing: auth.check before q' });
      // the witness is the query, with the attributes the rule read; the e-mail address is masked
      expect(v?.trigger).toEqual([{
        spanId: queryId, name: 'db.query', service: `users-${transport}`,
        attributes: { 'data.contains_pii': true, 'user.email': '[REDACTED:email]' },
      }]);
      const one = await api.get<ViolationView>(`/api/v1/violations/${v?.id}`);
      expect(one.body).toMatchObject({ id: v?.id, signatureValid: true });
    }
    for (const traceId of compliant) expect(violations.some((v) => v.traceId === traceId)).toBe(false);

    const metrics = await api.metrics();
    expect(metricValue(metrics, 'betrace_violations_total', { rule_id: RULE.id, severity: 'critical' })).toBe(TRANSPORTS.length);
    for (const protocol of TRANSPORTS) {
      expect(metricValue(metrics, 'betrace_spans_received_total', { protocol }), protocol).toBe(5);
      expect(metricValue(metrics, 'betrace_otlp_requests_total', { protocol, outcome: 'ok' }), protocol).toBeGreaterThanOrEqual(1);
    }
    // counted where the traces are (the workers' counts are summed into /metrics)
    expect(metricValue(metrics, 'betrace_spans_accepted_total')).toBe(5 * TRANSPORTS.length);
    expect(metricValue(metrics, 'betrace_spans_evaluated_total')).toBe(5 * TRANSPORTS.length);
    expect(metricValue(metrics, 'betrace_traces_completed_total', { cause: 'quiet' })).toBe(2 * TRANSPORTS.length);
    expect(metricValue(metrics, 'betrace_rule_evaluation_seconds_count', { rule_id: RULE.id })).toBe(2 * TRANSPORTS.length);
    const status = await api.get<{ spansAccepted: number; tracesEvaluated: number; recentTraces: number }>('/api/v1/status');
    expect(status.body).toMatchObject({ spansAccepted: 5 * TRANSPORTS.length, tracesEvaluated: 2 * TRANSPORTS.length, recentTraces: 2 * TRANSPORTS.length });
    // the trace view finds each trace in the shard that holds it
    const recent = await api.get<{ items: Array<{ traceId: string }> }>('/api/v1/traces');
    expect(recent.body.items.map((t) => t.traceId).sort()).toEqual([...compliant, ...[...sent.values()].map((x) => x.traceId)].sort());
    for (const { traceId, queryId } of sent.values()) {
      const trace = await api.get<{ spans: Array<{ spanId: string; name: string }> }>(`/api/v1/traces/${traceId}`);
      expect(trace.status).toBe(200);
      expect(trace.body.spans.map((x) => x.name)).toEqual(['GET /users/{id}', 'db.query']);
      expect(trace.body.spans[1]?.spanId).toBe(queryId);
    }

    // each violation comes back as a span in its own trace, a child of its witness
    const exported = await pollUntil('the exported violation spans', async () =>
      sink.spans.length >= TRANSPORTS.length ? sink.spans : undefined);
    expect(sink.problems).toEqual([]);
    expect(exported).toHaveLength(TRANSPORTS.length);
    for (const v of violations) {
      const span = exported.find((s) => s.traceId === v.traceId);
      expect(span, `exported span for ${v.traceId}`).toBeDefined();
      expect(span?.name).toBe('betrace.violation');
      expect(span?.parentSpanId).toBe(v.trigger[0]?.spanId);
      expect(span?.service).toBe('betrace');
      expect(Object.fromEntries(span?.attributes ?? [])).toMatchObject({
        'betrace.violation.id': v.id,
        'betrace.violation.rule_id': RULE.id,
        'betrace.violation.severity': 'critical',
        'betrace.violation.signature': v.signature,
      });
    }
    // counted once BeTrace has read the sink's answer, which can be just after the sink saw the spans
    await pollUntil('the export counted', async () =>
      metricValue(await api.metrics(), 'betrace_exported_violation_spans_total') === TRANSPORTS.length ? true : undefined);
  }, 40_000);
});
