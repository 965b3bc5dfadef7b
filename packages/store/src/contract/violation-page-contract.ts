import { expect, it } from 'vitest';
import type { ViolationStore } from '../violation-store.ts';
import type { ViolationQuery } from '../violation-store.ts';
import type { ViolationRecord } from '../violation-record.ts';
import { MINUTE, must, T0, violation } from './fixtures.ts';
import type { ContractContext } from './fixtures.ts';

/** Order, page size and cursor pagination. */
export function violationPageContract(ctx: () => ContractContext): void {
  it('lists newest first by detectedAt, then by id descending', async () => {
    const { violations } = ctx().stores;
    const rows = [
      violation({ id: 'b', traceId: 'tb', detectedAt: T0 }),
      violation({ id: 'a', traceId: 'ta', detectedAt: T0 + 2 }),
      violation({ id: 'c', traceId: 'tc', detectedAt: T0 }),
      violation({ id: 'd', traceId: 'td', detectedAt: T0 + 1 }),
    ];
    await violations.record(rows);
    expect(must(await violations.list({})).items.map((r) => r.id)).toEqual(['a', 'd', 'c', 'b']);
  });

  it('pages 50 by default and at most 1000', async () => {
    const { violations } = ctx().stores;
    await violations.record(range(1001).map((i) => violation({ traceId: `t${i}`, detectedAt: T0 + i })));
    const first = must(await violations.list({}));
    expect(first.items).toHaveLength(50);
    expect(first.nextCursor).toBeTypeOf('string');
    const big = must(await violations.list({ limit: 5000 }));
    expect(big.items).toHaveLength(1000);
    expect(big.nextCursor).toBeTypeOf('string');
    expect(must(await violations.list({ limit: 1 })).items).toHaveLength(1);
  });

  it('walks every page exactly once when many rows share a detectedAt', async () => {
    const { violations } = ctx().stores;
    // Ties straddle page boundaries: 3 per instant, pages of 2.
    const rows = range(9).map((i) => violation({ traceId: `t${i}`, detectedAt: T0 + Math.floor(i / 3) * MINUTE }));
    await violations.record(rows);
    const pages = await allPages(violations, { limit: 2 });
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 2, 1]);
    expect(pages.flat().map((r) => r.id)).toEqual(must(await violations.list({ limit: 100 })).items.map((r) => r.id));
    expect(new Set(pages.flat().map((r) => r.id)).size).toBe(9);
  });

  it('ends exactly at the last row: no cursor when a page is full but nothing follows', async () => {
    const { violations } = ctx().stores;
    await violations.record(range(4).map((i) => violation({ traceId: `t${i}`, detectedAt: T0 + i })));
    const page = must(await violations.list({ limit: 4 }));
    expect(page.items).toHaveLength(4);
    expect(page.nextCursor).toBeUndefined();
  });

  it('continues where it stopped when rows are inserted between pages', async () => {
    const { violations } = ctx().stores;
    await violations.record(range(6).map((i) => violation({ traceId: `t${i}`, detectedAt: T0 + i * MINUTE })));
    const before = must(await violations.list({ limit: 100 })).items.map((r) => r.id);
    const first = must(await violations.list({ limit: 3 }));
    // Newer rows arrive, and one at the cursor's own instant that sorts before the cursor.
    const cursorRow = first.items.at(-1)!;
    await violations.record([
      violation({ traceId: 'newer', detectedAt: T0 + 10 * MINUTE }),
      violation({ id: `${cursorRow.id}z`, traceId: 'same-instant', detectedAt: cursorRow.detectedAt }),
    ]);
    const rest = must(await violations.list({ limit: 100, cursor: first.nextCursor! }));
    expect([...first.items, ...rest.items].map((r) => r.id)).toEqual(before);
  });

  it('applies filters on every page', async () => {
    const { violations } = ctx().stores;
    await violations.record(
      range(10).map((i) => violation({ traceId: `t${i}`, severity: i % 2 === 0 ? 'critical' : 'low', detectedAt: T0 + i })),
    );
    const pages = await allPages(violations, { severity: 'critical', limit: 2 });
    expect(pages.flat().map((r) => r.traceId)).toEqual(['t8', 't6', 't4', 't2', 't0']);
  });
}

async function allPages(store: ViolationStore, query: ViolationQuery): Promise<ViolationRecord[][]> {
  const pages: ViolationRecord[][] = [];
  let cursor: string | undefined;
  do {
    const page = must(await store.list({ ...query, ...(cursor === undefined ? {} : { cursor }) }));
    pages.push(page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined && pages.length < 100);
  return pages;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
