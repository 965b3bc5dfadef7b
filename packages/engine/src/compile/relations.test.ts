import type { Relation } from '@betrace/dsl';
import { describe, expect, it } from 'vitest';
import type { Span } from '../span.ts';
import type { SpanSpec } from '../testing/spans.ts';
import { trace } from '../testing/spans.ts';
import { indexTrace } from '../trace-index.ts';
import { relationHolds, relationParticipants } from './relations.ts';

interface Row {
  name: string;
  spans: SpanSpec[];
  /** Span names: A is every span named `a`, B every span named `b`. */
  relation: Relation;
  within?: number;
  /** Participating span ids, sorted; empty when the relation does not hold. */
  want: string[];
}

const rows: Row[] = [
  { name: 'before: end <= start', relation: 'before', spans: [{ id: '1', name: 'a', start: 0, end: 5 }, { id: '2', name: 'b', start: 5 }], want: ['1', '2'] },
  { name: 'before: overlap is not before', relation: 'before', spans: [{ id: '1', name: 'a', start: 0, end: 6 }, { id: '2', name: 'b', start: 5 }], want: [] },
  {
    name: 'before: only spans in a satisfying pair take part',
    relation: 'before',
    spans: [
      { id: '1', name: 'a', start: 0, end: 1 },
      { id: '2', name: 'a', start: 0, end: 9 },
      { id: '3', name: 'b', start: 4 },
      { id: '4', name: 'b', start: 0 },
    ],
    want: ['1', '3'],
  },
  {
    name: 'before within: the gap must fit',
    relation: 'before',
    within: 2,
    spans: [{ id: '1', name: 'a', start: 0, end: 1 }, { id: '2', name: 'b', start: 4 }, { id: '3', name: 'b', start: 3 }],
    want: ['1', '3'],
  },
  { name: 'after: the mirror of before', relation: 'after', spans: [{ id: '1', name: 'b', start: 0, end: 1 }, { id: '2', name: 'a', start: 1 }], want: ['1', '2'] },
  {
    name: 'a zero-length span in both sets is not before itself',
    relation: 'before',
    spans: [{ id: '1', name: 'a', start: 3, end: 3 }],
    want: [],
  },
  { name: 'parent of', relation: 'parent_of', spans: [{ id: '1', name: 'a' }, { id: '2', name: 'b', parent: '1' }, { id: '3', name: 'b' }], want: ['1', '2'] },
  { name: 'child of', relation: 'child_of', spans: [{ id: '1', name: 'b' }, { id: '2', name: 'a', parent: '1' }], want: ['1', '2'] },
  { name: 'a self-parent is not its own parent', relation: 'parent_of', spans: [{ id: '1', name: 'a', parent: '1' }], want: [] },
  {
    name: 'ancestor of, across levels and with a missing link',
    relation: 'ancestor_of',
    spans: [
      { id: '1', name: 'a' },
      { id: '2', name: 'x', parent: '1' },
      { id: '3', name: 'b', parent: '2' },
      { id: '4', name: 'b', parent: 'gone' },
    ],
    want: ['1', '3'],
  },
  { name: 'descendant of', relation: 'descendant_of', spans: [{ id: '1', name: 'b' }, { id: '2', name: 'x', parent: '1' }, { id: '3', name: 'a', parent: '2' }], want: ['1', '3'] },
];

describe('relations', () => {
  it.each(rows)('$name', ({ spans, relation, within, want }) => {
    const index = indexTrace(trace(...spans));
    const a = index.byName.get('a') ?? [];
    const b = index.byName.get('b') ?? (spans.some((s) => s.name === 'b') ? [] : a);
    const d = within ?? Infinity;
    const out = new Set<Span>();
    relationParticipants(relation, d, a, b, index, out);
    expect(relationHolds(relation, d, a, b, index)).toBe(want.length > 0);
    expect([...out].map((s) => s.spanId).sort()).toEqual(want);
  });
});
