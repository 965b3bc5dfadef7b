import { decodeJsonTraces } from '@betrace/otlp';
import { expect, test } from 'vitest';
import { TRACE_ID, otlpJson } from '../testing/otlp-json.ts';
import { buildTestApi } from '../testing/test-api.ts';
import { localShard } from '../testing/test-context.ts';

const SPANS = otlpJson([
  { spanId: '1111111111111111', name: 'POST /checkout', service: 'gateway', durationMs: 100, attributes: { 'http.route': '/checkout', 'user.password': 'hunter2', note: 'mail me at a@example.com' } },
  { spanId: '2222222222222222', parentSpanId: '1111111111111111', name: 'payment.charge', service: 'payments', startMs: 5, attributes: { 'payment.amount': 1500 } },
]);

async function withTrace() {
  const t = await buildTestApi();
  await t.call('POST', '/api/v1/rules', { body: { id: 'fraud', name: 'Fraud', severity: 'high', condition: 'when { payment.charge } always { fraud.check }' } });
  localShard(t.ctx).pipeline.ingest(decodeJsonTraces(SPANS).spans);
  localShard(t.ctx).pipeline.drain();
  await t.ctx.writer.flush();
  return t;
}

test('GET /api/v1/traces: recent traces newest first with a summary', async () => {
  const t = await withTrace();
  const r = await t.call('GET', '/api/v1/traces', { as: 'viewer' });
  expect(r.statusCode).toBe(200);
  expect(r.json()).toMatchObject({
    kept: 1,
    items: [{ traceId: TRACE_ID, spanCount: 2, rootName: 'POST /checkout', rootService: 'gateway', services: ['gateway', 'payments'], durationNs: '100000000' }],
  });
});

test('GET /api/v1/traces/:traceId: spans with times as ISO and ns strings, redacted attributes, and the trace violations', async () => {
  const t = await withTrace();
  const r = await t.call('GET', `/api/v1/traces/${TRACE_ID}`, { as: 'viewer' });
  expect(r.statusCode).toBe(200);
  const body = r.json() as { spans: Record<string, unknown>[]; violations: { ruleId: string; signatureValid?: boolean }[] };
  expect(body.spans[0]).toMatchObject({
    spanId: '1111111111111111', parentSpanId: null, name: 'POST /checkout', kind: 'internal', status: 'unset', service: 'gateway',
    start: '2025-11-23T12:13:20.000000000Z', startNs: '1763900000000000000', durationNs: '100000000',
    resource: { 'service.name': 'gateway' },
  });
  const attrs = body.spans[0]?.['attributes'] as Record<string, unknown>;
  expect(attrs['http.route']).toBe('/checkout');
  expect(attrs['user.password']).toBe('[REDACTED]');
  expect(attrs['note']).toBe('mail me at [REDACTED:email]');
  expect(body.spans[1]).toMatchObject({ parentSpanId: '1111111111111111', attributes: { 'payment.amount': 1500 } });
  expect(body.violations.map((v) => v.ruleId)).toEqual(['fraud']);
});

test('a trace no longer kept: 404 that says where to look; malformed ids: 400; no key: 401', async () => {
  const t = await withTrace();
  const gone = await t.call('GET', `/api/v1/traces/${'f'.repeat(32)}`);
  expect(gone.statusCode).toBe(404);
  expect((gone.json() as { error: { message: string } }).error.message).toContain('Tempo');
  expect((await t.call('GET', '/api/v1/traces/..%2F..%2Fetc')).statusCode).toBe(400);
  expect((await t.call('GET', `/api/v1/traces/${TRACE_ID}`, { as: null })).statusCode).toBe(401);
});
