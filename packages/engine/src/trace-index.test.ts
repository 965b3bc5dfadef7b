import { describe, expect, it } from 'vitest';
import { trace } from './testing/spans.ts';
import { indexTrace } from './trace-index.ts';

describe('indexTrace', () => {
  it('keeps the first arrival of a duplicated span id', () => {
    const index = indexTrace(trace({ id: 'a', name: 'first' }, { id: 'b', name: 'x' }, { id: 'a', name: 'second' }));
    expect(index.spans.map((s) => s.name)).toEqual(['first', 'x']);
    expect(index.spanCount).toBe(2);
    expect(index.byId.get('a')?.name).toBe('first');
    expect(index.byName.has('second')).toBe(false);
  });

  it('orders spans by start, then span id, and byName lists follow that order', () => {
    const index = indexTrace(
      trace({ id: 'c', name: 'q', start: 5 }, { id: 'b', name: 'q', start: 1 }, { id: 'a', name: 'q', start: 5 }, { id: 'd', name: 'r', start: 0 }),
    );
    expect(index.spans.map((s) => s.spanId)).toEqual(['d', 'b', 'a', 'c']);
    expect(index.byName.get('q')?.map((s) => s.spanId)).toEqual(['b', 'a', 'c']);
  });

  const rootRows = [
    { name: 'single root', input: [{ id: 'b', name: 'x', start: 2, parent: 'a' }, { id: 'a', name: 'root', start: 3 }], want: 'a' },
    { name: 'earliest of several roots', input: [{ id: 'b', name: 'x', start: 2 }, { id: 'a', name: 'y', start: 3 }], want: 'b' },
    { name: 'lowest id on a tie', input: [{ id: 'b', name: 'x', start: 2 }, { id: 'a', name: 'y', start: 2 }], want: 'a' },
    { name: 'no root when it never arrived', input: [{ id: 'b', name: 'x', parent: 'zz' }], want: undefined },
  ];
  it.each(rootRows)('root: $name', ({ input, want }) => {
    expect(indexTrace(trace(...input)).root?.spanId).toBe(want);
  });

  it('computes trace-level values', () => {
    const index = indexTrace(
      trace(
        { id: 'a', name: 'root', start: 10, end: 100, service: 'web' },
        { id: 'b', name: 'db', parent: 'a', start: 20, end: 130, service: 'db', status: 'error' },
        { id: 'c', name: 'db', parent: 'a', start: 30, end: 40, service: 'db', status: 'error' },
        { id: 'd', name: 'x', parent: 'a', start: 50, end: 60 },
        { id: 'c', name: 'dup', start: 0, end: 1000, status: 'error' },
      ),
    );
    expect(index.duration).toBe(120);
    expect(index.serviceCount()).toBe(2);
    expect(index.errorCount).toBe(2);
    expect(index.root?.name).toBe('root');
  });

  it('links parents and children, ignoring missing parents and self-parents', () => {
    const index = indexTrace(trace({ id: 'a', name: 'r' }, { id: 'b', name: 'x', parent: 'a' }, { id: 'c', name: 'y', parent: 'gone' }, { id: 'd', name: 'z', parent: 'd' }));
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => index.byId.get(id)!);
    expect(index.parentOf(b!)).toBe(a);
    expect(index.parentOf(c!)).toBeUndefined();
    expect(index.parentOf(d!)).toBeUndefined();
    expect(index.childrenOf(a!)).toEqual([b]);
    expect(index.childrenOf(d!)).toEqual([]);
  });

  it('has no duration for an empty trace', () => {
    const index = indexTrace({ traceId: 't', spans: [] });
    expect(index.duration).toBeUndefined();
    expect(index.root).toBeUndefined();
  });
});
