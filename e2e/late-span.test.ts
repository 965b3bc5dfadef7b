// A late span that satisfies the rule resolves the violation its trace produced: the record stays
// (with resolvedAt), it is not counted twice, and its signature still verifies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type ViolationView, metricValue } from './support/api-client.ts';
import { type BetraceProcess, startBetrace, stopAll, tempDataDir } from './support/betrace-process.ts';
import { TestService, childOf } from './support/otel-sdk.ts';
import { pollUntil } from './support/poll.ts';

const RULE_ID = 'a-needs-b';

describe.each([0, 2])('late spans, %i worker threads', (workers) => {
  let betrace: BetraceProcess;
  let api: ApiClient;

  beforeAll(async () => {
    betrace = await startBetrace(tempDataDir(), ['--auth', 'none', '--quiet-period', '300ms', '--idle-timeout', '1s', '--workers', String(workers)]);
    api = new ApiClient(betrace.apiUrl);
  }, 40_000);

  afterAll(stopAll, 40_000);

  it('resolve a violation when they satisfy the rule, without counting it again', async () => {
    expect((await api.post('/api/v1/rules', { id: RULE_ID, name: 'a needs b', severity: 'medium', condition: 'when { a } always { b }' })).status).toBe(201);
    const service = new TestService('late', 'grpc', betrace.ports);

    const a = service.tracer.startSpan('a');
    a.end();
    await service.flush();
    const traceId = a.spanContext().traceId;
    const violation = await pollUntil('the verdict on the trace without b', async () => {
      const page = await api.get<{ items: ViolationView[] }>(`/api/v1/violations?traceId=${traceId}`);
      return page.body.items[0];
    });
    expect(violation).toMatchObject({ ruleId: RULE_ID, reason: 'missing: b' });
    expect(violation.resolvedAt).toBeUndefined();
    expect(metricValue(await api.metrics(), 'betrace_violations_total', { rule_id: RULE_ID })).toBe(1);

    // b arrives after the verdict, in the same trace
    service.tracer.startSpan('b', {}, childOf(a.spanContext())).end();
    await service.flush();
    await service.shutdown();

    const resolved = await pollUntil('the violation to be resolved', async () => {
      const one = await api.get<ViolationView>(`/api/v1/violations/${violation.id}`);
      return one.body.resolvedAt !== undefined ? one.body : undefined;
    });
    expect(resolved).toMatchObject({ id: violation.id, signatureValid: true, signature: violation.signature });
    expect(resolved.resolvedAt).toBeGreaterThanOrEqual(Date.now() - 60_000);
    expect(resolved.resolution).toMatch(/late spans/);

    const open = await api.get<{ items: ViolationView[] }>(`/api/v1/violations?traceId=${traceId}&status=open`);
    const all = await api.get<{ items: ViolationView[] }>(`/api/v1/violations?traceId=${traceId}&status=all`);
    const done = await api.get<{ items: ViolationView[] }>(`/api/v1/violations?traceId=${traceId}&status=resolved`);
    expect(open.body.items).toEqual([]);
    expect(all.body.items.map((v) => v.id)).toEqual([violation.id]);
    expect(done.body.items.map((v) => v.id)).toEqual([violation.id]);

    const metrics = await api.metrics();
    expect(metricValue(metrics, 'betrace_violations_total', { rule_id: RULE_ID })).toBe(1);
    expect(metricValue(metrics, 'betrace_violations_resolved_total', { rule_id: RULE_ID })).toBe(1);
    expect(metricValue(metrics, 'betrace_late_spans_total')).toBe(1);
    expect(metricValue(metrics, 'betrace_trace_reevaluations_total')).toBe(1);
  }, 40_000);
});
