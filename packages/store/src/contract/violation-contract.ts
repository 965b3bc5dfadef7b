import { expect, it } from 'vitest';
import type { ViolationRecord } from '../violation-record.ts';
import { errorCode, MINUTE, must, span, T0, violation } from './fixtures.ts';
import type { ContractContext } from './fixtures.ts';

/** record / get / resolve / retention. */
export function violationContract(ctx: () => ContractContext): void {
  it('stores a record and returns it unchanged, nested witness attributes included', async () => {
    const { violations } = ctx().stores;
    const r = violation({
      boundSpanId: 'b1',
      trigger: [span('b1', 'checkout', 'POST /pay', { 'http.status': 500, tags: ['a', 1, true, null], nested: { x: 1.5 } })],
      offending: [span('o1', 'payments', 'charge', { amount: '12.00' }), span('o2', '', 'db')],
      ruleVersion: 7,
    });
    expect(await violations.record([r])).toEqual({ inserted: 1, duplicates: 0 });
    expect(await violations.get(r.id)).toEqual(r);
    expect(await violations.get('no-such-id')).toBeUndefined();
  });

  it('is idempotent on the natural key: a repeat leaves the stored row unchanged', async () => {
    const { violations } = ctx().stores;
    const first = violation({ reason: 'first', signature: 'sig-1' });
    await violations.record([first]);
    const again = violation({ reason: 'second', signature: 'sig-2', detectedAt: T0 + MINUTE });
    expect(await violations.record([again])).toEqual({ inserted: 0, duplicates: 1 });
    // Same natural key under another id (a buggy caller) is still the same violation.
    expect(await violations.record([{ ...again, id: 'other-id' }])).toEqual({ inserted: 0, duplicates: 1 });
    expect(await violations.get(first.id)).toEqual(first);
    expect(await violations.get('other-id')).toBeUndefined();
    expect(must(await violations.list({})).items).toHaveLength(1);
  });

  it('counts duplicates inside one batch and keeps distinct bound spans apart', async () => {
    const { violations } = ctx().stores;
    const a = violation({ boundSpanId: 'b1' });
    const b = violation({ boundSpanId: 'b2' });
    const c = violation({ boundSpanId: '' });
    expect(await violations.record([a, b, a, c, b])).toEqual({ inserted: 3, duplicates: 2 });
    expect(new Set(must(await violations.list({})).items.map((r) => r.id))).toEqual(new Set([a.id, b.id, c.id]));
    expect(await violations.record([])).toEqual({ inserted: 0, duplicates: 0 });
  });

  it('resolves open violations once, keeping the first resolution', async () => {
    const { violations } = ctx().stores;
    const a = violation({ traceId: 't-a' });
    const b = violation({ traceId: 't-b' });
    await violations.record([a, b]);
    expect(await violations.resolve([a.id, a.id, 'unknown'], T0 + 5, 'late span: payment arrived')).toBe(1);
    expect(await violations.get(a.id)).toEqual({ ...a, resolvedAt: T0 + 5, resolution: 'late span: payment arrived' });
    expect(await violations.resolve([a.id, b.id], T0 + 9, 'again')).toBe(1);
    expect((await violations.get(a.id))?.resolution).toBe('late span: payment arrived');
    expect((await violations.get(b.id))?.resolvedAt).toBe(T0 + 9);
    // Finding the violation again must not reopen it.
    expect(await violations.record([a])).toEqual({ inserted: 0, duplicates: 1 });
    expect((await violations.get(a.id))?.resolvedAt).toBe(T0 + 5);
  });

  it('retention deletes violations detected before the cutoff, everywhere', async () => {
    const { violations } = ctx().stores;
    const old = violation({ traceId: 'old', detectedAt: T0 - 1, trigger: [span('x', 'legacy')] });
    const edge = violation({ traceId: 'edge', detectedAt: T0 });
    const fresh = violation({ traceId: 'fresh', detectedAt: T0 + MINUTE });
    await violations.record([old, edge, fresh]);
    expect(await violations.deleteDetectedBefore(T0)).toBe(1);
    expect(await violations.get(old.id)).toBeUndefined();
    expect(must(await violations.list({})).items.map((r) => r.traceId)).toEqual(['fresh', 'edge']);
    expect(must(await violations.list({ service: 'legacy' })).items).toEqual([]);
    const stats = must(await violations.stats({ from: T0 - MINUTE, to: T0 + 2 * MINUTE, bucketMs: MINUTE }));
    expect(stats.total).toBe(2);
    expect(stats.byService.map((s) => s.service)).not.toContain('legacy');
    expect(await violations.deleteDetectedBefore(T0)).toBe(0);
    // The natural key is free again: a re-evaluation after retention records anew.
    expect(await violations.record([old])).toEqual({ inserted: 1, duplicates: 0 });
  });

  it('retention deletes more rows than fit in one batch', async () => {
    const { violations } = ctx().stores;
    const many: ViolationRecord[] = [];
    for (let i = 0; i < 12_000; i++) many.push(violation({ traceId: `t${i}`, detectedAt: T0 - 1 - (i % 100) }));
    await violations.record(many);
    await violations.record([violation({ traceId: 'keep', detectedAt: T0 })]);
    expect(await violations.deleteDetectedBefore(T0)).toBe(12_000);
    expect(must(await violations.list({})).items.map((r) => r.traceId)).toEqual(['keep']);
  });

  it('rejects a cursor it did not hand out', async () => {
    const { violations } = ctx().stores;
    expect(errorCode(await violations.list({ cursor: 'not-a-cursor' }))).toBe('invalid');
    expect(errorCode(await violations.list({ cursor: Buffer.from('["a",1]').toString('base64url') }))).toBe('invalid');
  });

  it('answers ping while open', async () => {
    expect(await ctx().stores.ping()).toBe(true);
  });
}
