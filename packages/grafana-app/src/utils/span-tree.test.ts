import type { TraceSpan } from '../api/types';
import { spanRows } from './span-tree';

const span = (spanId: string, parentSpanId: string | null, start: number, end: number): TraceSpan => ({
  spanId, parentSpanId, name: spanId, kind: 'internal', status: 'unset', statusMessage: '', service: 's', start: null,
  startNs: String(start), endNs: String(end), durationNs: String(end - start), attributes: {}, resource: {},
});

describe('spanRows', () => {
  test('depth-first by start time, with offsets and widths on the trace axis', () => {
    const rows = spanRows([span('c', 'a', 60, 100), span('a', null, 0, 100), span('b', 'a', 10, 50), span('d', 'b', 20, 30)]);
    expect(rows.map((r) => [r.span.spanId, r.depth, r.offset, r.width])).toEqual([
      ['a', 0, 0, 1], ['b', 1, 0.1, 0.4], ['d', 2, 0.2, 0.1], ['c', 1, 0.6, 0.4],
    ]);
  });

  test('spans whose parent is missing are roots; nanosecond strings beyond 2^53 stay exact in offsets', () => {
    const base = 1_735_000_000_000_000_000n;
    const rows = spanRows([
      { ...span('x', 'gone', 0, 0), startNs: String(base), endNs: String(base + 1000n) },
      { ...span('y', null, 0, 0), startNs: String(base + 500n), endNs: String(base + 1000n) },
    ]);
    expect(rows.map((r) => [r.span.spanId, r.depth, r.offset])).toEqual([['x', 0, 0], ['y', 0, 0.5]]);
  });
});
