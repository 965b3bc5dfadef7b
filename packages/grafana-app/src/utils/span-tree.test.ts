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
    const base = BigInt('1735000000000000000');
    const rows = spanRows([
      { ...span('x', 'gone', 0, 0), startNs: String(base), endNs: String(base + BigInt(1000)) },
      { ...span('y', null, 0, 0), startNs: String(base + BigInt(500)), endNs: String(base + BigInt(1000)) },
    ]);
    expect(rows.map((r) => [r.span.spanId, r.depth, r.offset])).toEqual([['x', 0, 0], ['y', 0, 0.5]]);
  });
});
