import type { Span } from '@betrace/engine';
import { MemoryStores, type ViolationRecord } from '@betrace/store';
import { describe, expect, it } from 'vitest';
import { counter } from '../receivers/testing.ts';
import { pipelineSpan } from '../testing/pipeline-span.ts';
import { clockedPipeline } from '../testing/clocked-pipeline.ts';
import { buildTestContext } from '../testing/test-context.ts';

const TRACE = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

function span(id: string, name: string, parent?: string, attrs: Record<string, string | number | boolean> = {}): Span {
  return pipelineSpan(TRACE, id, name, parent, attrs);
}

async function setup(condition: string) {
  let now = 1_000_000;
  const stores = new MemoryStores();
  const t = await buildTestContext({ stores, config: { assembly: { quietPeriod: '1s', idleTimeout: '5s', lateWindow: '1m' } } });
  expect((await stores.rules.create({ id: 'r1', name: 'Rule one', severity: 'high', condition }, 'test')).ok).toBe(true);
  await t.ctx.rules.reload();
  const pipeline = clockedPipeline(t.ctx, () => now);
  const all = async (): Promise<ViolationRecord[]> => {
    const page = await stores.violations.list({});
    if (!page.ok) throw new Error(page.error.message);
    return page.value.items;
  };
  return { ...t, pipeline, all, advance: (ms: number) => void (now += ms) };
}

describe('early verdicts', () => {
  it('records a never-rule on one span as soon as the span arrives, once, and the completed trace does not resolve it', async () => {
    const p = await setup('never { payment.charge.where(currency != USD) }');
    p.pipeline.ingest([span('1', 'checkout'), span('2', 'payment.charge', '1', { currency: 'EUR' })]);
    await p.pipeline.tick(); // no time has passed: the quiet period is not over
    const early = await p.all();
    expect(early).toMatchObject([{ ruleId: 'r1', traceId: TRACE, reason: 'forbidden: payment.charge.where(currency != "USD")', offending: [{ spanId: '0000000000000002' }] }]);
    expect(await counter(p.ctx, 'betrace_early_verdicts_total', { rule_id: 'r1' })).toBe(1);
    expect(p.pipeline.assembler.size.traces).toBe(1); // the trace itself is still being assembled
    // another matching span does not decide again; completion finds the violation recorded
    p.pipeline.ingest([span('3', 'payment.charge', '1', { currency: 'GBP' })]);
    p.advance(1_000);
    await p.pipeline.tick();
    expect(p.pipeline.assembler.size.traces).toBe(0);
    expect(await p.all()).toEqual(early);
    expect(await counter(p.ctx, 'betrace_early_verdicts_total', { rule_id: 'r1' })).toBe(1);
    expect(await counter(p.ctx, 'betrace_violations_resolved_total')).toBe(0);
    // a late span re-evaluates the trace: still violated, still one record
    p.pipeline.ingest([span('4', 'audit', '1')]);
    p.advance(1_000);
    await p.pipeline.tick();
    expect(await p.all()).toEqual(early);
    expect(await counter(p.ctx, 'betrace_violations_resolved_total')).toBe(0);
  });

  const waits = [
    { name: 'when … always (later spans may satisfy it)', condition: 'when { payment.charge } always { fraud.check }' },
    { name: 'a count (the trace may not reach it… or may, later)', condition: 'never { count(payment.charge) > 1 }' },
    { name: 'a never with when', condition: 'when { checkout } never { payment.charge.where(currency != USD) }' },
    { name: 'a relation', condition: 'never { checkout ancestor of payment.charge.where(currency != USD) }' },
  ];
  for (const { name, condition } of waits) {
    it(`waits for the complete trace for ${name}`, async () => {
      const p = await setup(condition);
      p.pipeline.ingest([span('1', 'checkout'), span('2', 'payment.charge', '1', { currency: 'EUR' }), span('3', 'payment.charge', '1', { currency: 'EUR' })]);
      await p.pipeline.tick();
      expect(await p.all()).toEqual([]);
      p.advance(1_000);
      await p.pipeline.tick();
      expect((await p.all()).length).toBe(1);
      expect(await counter(p.ctx, 'betrace_early_verdicts_total')).toBe(0);
    });
  }
});
