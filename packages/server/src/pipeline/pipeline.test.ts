import type { Span } from '@betrace/engine';
import { MemoryStores, type ViolationRecord } from '@betrace/store';
import { describe, expect, it } from 'vitest';
import { pipelineSpan } from '../testing/pipeline-span.ts';
import { clockedPipeline } from '../testing/clocked-pipeline.ts';
import { otlpJson } from '../testing/otlp-json.ts';
import { buildTestContext } from '../testing/test-context.ts';

const TRACE = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

function span(id: string, name: string, parent?: string, attrs: Record<string, string | number | boolean> = {}): Span {
  return pipelineSpan(TRACE, id, name, parent, attrs);
}

/** A context with one rule and a hand-cranked clock. */
async function setup(condition: string, stores = new MemoryStores()) {
  let now = 1_000_000;
  const t = await buildTestContext({ stores, config: { assembly: { quietPeriod: '1s', idleTimeout: '5s', lateWindow: '1m' } } });
  const created = await stores.rules.create({ id: 'r1', name: 'Rule one', severity: 'high', condition }, 'test');
  expect(created.ok).toBe(true);
  await t.ctx.rules.reload();
  const pipeline = clockedPipeline(t.ctx, () => now);
  return { ...t, pipeline, advance: (ms: number) => void (now += ms) };
}

async function all(stores: MemoryStores): Promise<ViolationRecord[]> {
  const page = await stores.violations.list({});
  if (!page.ok) throw new Error(page.error.message);
  return page.value.items;
}

describe('Pipeline', () => {
  it('records a signed violation with the attributes the rule read, once the trace is complete', async () => {
    const stores = new MemoryStores();
    const p = await setup('when { database.query.where(data.contains_pii == true) } always { auth.check }', stores);
    p.pipeline.ingest([span('1', 'GET /users'), span('2', 'database.query', '1', { 'data.contains_pii': true, 'db.statement': 'SELECT email FROM users' })]);
    await p.pipeline.tick();
    expect(await all(stores)).toEqual([]); // quiet period not over
    p.advance(1_000);
    await p.pipeline.tick();
    const [v] = await all(stores);
    expect(v).toMatchObject({
      ruleId: 'r1', ruleVersion: 1, severity: 'high', traceId: TRACE, reason: 'missing: auth.check',
      trigger: [{ spanId: '0000000000000002', name: 'database.query', service: 'api', attributes: { 'data.contains_pii': true } }],
    });
    // only what the rule read is kept: the statement is not evidence for this rule
    expect(v?.trigger[0]?.attributes).not.toHaveProperty('db.statement');
    expect(p.ctx.signer.verify(v!)).toBe(true);
    // the verdict came one quiet period after the last span
    const latency = await p.ctx.metrics.registry.getSingleMetric('betrace_verdict_latency_seconds')?.get();
    const sum = latency?.values.find((x) => (x as { metricName?: string }).metricName === 'betrace_verdict_latency_seconds_sum');
    expect(sum?.value).toBe(1);
  });

  it('does not record a violation twice and resolves it when a late span satisfies the rule', async () => {
    const stores = new MemoryStores();
    const p = await setup('when { database.query } always { auth.check }', stores);
    p.pipeline.ingest([span('1', 'GET /users'), span('2', 'database.query', '1')]);
    p.advance(1_000);
    await p.pipeline.tick();
    expect(await all(stores)).toHaveLength(1);

    // a late span that does not change the verdict: still one violation, not resolved
    p.advance(5_000);
    p.pipeline.ingest([span('3', 'cache.get', '1')]);
    p.advance(1_000);
    await p.pipeline.tick();
    const still = await all(stores);
    expect(still).toHaveLength(1);
    expect(still[0]?.resolvedAt).toBeUndefined();

    // the missing check arrives late: the violation is resolved, not deleted
    p.advance(5_000);
    p.pipeline.ingest([span('4', 'auth.check', '1')]);
    p.advance(1_000);
    await p.pipeline.tick();
    const [v] = await all(stores);
    expect(v?.resolvedAt).toBeDefined();
    expect(v?.resolution).toMatch(/late spans/);
    const counted = await p.ctx.metrics.registry.getSingleMetric('betrace_violations_total')?.get();
    expect(counted?.values.reduce((n, x) => n + x.value, 0)).toBe(1);
  });

  it.each([
    ['disabled', (st: MemoryStores) => st.rules.setEnabled('r1', false, 'test')],
    ['deleted', (st: MemoryStores) => st.rules.delete('r1', 'test')],
    ['changed', (st: MemoryStores) => st.rules.update('r1', { condition: 'when { database.query } always { cache.get }' }, 'test')],
  ])('does not resolve a violation whose rule was %s before the late span arrived', async (_what, change) => {
    const stores = new MemoryStores();
    const p = await setup('when { database.query } always { auth.check }', stores);
    p.pipeline.ingest([span('1', 'GET /users'), span('2', 'database.query', '1')]);
    p.advance(1_000);
    await p.pipeline.tick();
    await change(stores);
    await p.ctx.rules.reload();
    p.advance(5_000);
    p.pipeline.ingest([span('3', 'cache.get', '1')]);
    p.advance(1_000);
    await p.pipeline.tick();
    const [v] = await all(stores);
    expect(v?.ruleId).toBe('r1');
    expect(v?.resolvedAt).toBeUndefined();
  });

  it('yields one violation per failing labelled span', async () => {
    const stores = new MemoryStores();
    const p = await setup('when { p: payment.charge.where(amount > 1000) } always { fraud.check.where(order_id == p.order_id) before p }', stores);
    p.pipeline.ingest([
      span('1', 'checkout'),
      span('2', 'fraud.check', '1', { order_id: 'a' }),
      span('3', 'payment.charge', '1', { amount: 1500, order_id: 'a' }),
      span('4', 'payment.charge', '1', { amount: 2500, order_id: 'b' }),
      span('5', 'payment.charge', '1', { amount: 10, order_id: 'c' }),
    ]);
    p.advance(1_000);
    await p.pipeline.tick();
    expect((await all(stores)).map((v) => v.boundSpanId)).toEqual(['0000000000000004']);
  });

  it('keeps violations queued while the store fails, and writes them when it recovers', async () => {
    const stores = new MemoryStores();
    const p = await setup('never { error.span }', stores);
    const record = stores.violations.record.bind(stores.violations);
    let failing = true;
    stores.violations.record = async (rs) => {
      if (failing) throw new Error('disk full');
      return record(rs);
    };
    p.pipeline.ingest([span('1', 'error.span')]);
    p.advance(1_000);
    await p.pipeline.tick();
    expect(p.ctx.writer.pending).toBe(1);
    expect(p.logs.some((l) => String(l.msg).includes('stay queued'))).toBe(true);
    failing = false;
    await p.pipeline.tick();
    expect(p.ctx.writer.pending).toBe(0);
    expect(await all(stores)).toHaveLength(1);
  });

  it('refuses new spans with a retry hint when the violation backlog is at its bound', async () => {
    const stores = new MemoryStores();
    stores.violations.record = () => Promise.reject(new Error('store down'));
    const t = await buildTestContext({ stores, config: { limits: { maxPendingViolations: 1 }, assembly: { quietPeriod: '1s' } } });
    await stores.rules.create({ id: 'r1', name: 'r', severity: 'low', condition: 'never { x }' }, 'test');
    await t.ctx.rules.reload();
    const body = (id: string): Uint8Array => Buffer.from(JSON.stringify(otlpJson([{ spanId: id.padStart(16, '0'), name: 'x', service: 'api' }])));
    expect(await t.ctx.runtime.ingest('http_json', body('1'))).toMatchObject({ kind: 'ok', response: { rejectedSpans: 0 } });
    await t.ctx.runtime.drain();
    await t.ctx.writer.flush();
    expect(t.ctx.writer.pending).toBe(1);
    expect(await t.ctx.runtime.ingest('http_json', body('2'))).toMatchObject({ kind: 'throttled', retryAfterSeconds: expect.any(Number) });
    expect((await t.ctx.runtime.status()).spansAccepted).toBe(1);
  });

  it('returns what the store would not take by the shutdown deadline', async () => {
    const stores = new MemoryStores();
    const p = await setup('never { x }', stores);
    stores.violations.record = () => Promise.reject(new Error('store down'));
    p.pipeline.ingest([span('1', 'x')]);
    const left = await p.pipeline.drain(50);
    expect(left.map((v) => v.ruleId)).toEqual(['r1']);
    expect(p.ctx.writer.pending).toBe(0);
  });

  it('evaluates everything still buffered when drained at shutdown', async () => {
    const stores = new MemoryStores();
    const p = await setup('never { x }', stores);
    p.pipeline.ingest([span('1', 'x')]);
    await p.pipeline.drain();
    expect(await all(stores)).toHaveLength(1);
  });
});
