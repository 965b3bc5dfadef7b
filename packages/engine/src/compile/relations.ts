import type { Relation } from '@betrace/dsl';
import type { Span } from '../span.ts';
import type { TraceIndex } from '../trace-index.ts';

/**
 * `A rel B [within D]`: some pair (a ∈ A, b ∈ B), a ≠ b, is related. Both lists are in (start, id)
 * order, which `before` uses for binary search; structure follows parent ids, never all pairs.
 * `within` is Infinity when absent (the checker only allows it on before/after).
 */
export function relationHolds(rel: Relation, within: number, a: readonly Span[], b: readonly Span[], index: TraceIndex): boolean {
  if (a.length === 0 || b.length === 0) return false;
  switch (rel) {
    case 'before':
      return beforeHolds(a, b, within);
    case 'after':
      return beforeHolds(b, a, within);
    case 'parent_of':
      return parentHolds(a, b, index);
    case 'child_of':
      return parentHolds(b, a, index);
    case 'ancestor_of':
      return ancestorHolds(a, b, index, undefined);
    case 'descendant_of':
      return ancestorHolds(b, a, index, undefined);
    default:
      return assertNever(rel);
  }
}

/** Adds every span that takes part in at least one satisfying pair of `A rel B` to `out`. */
export function relationParticipants(
  rel: Relation,
  within: number,
  a: readonly Span[],
  b: readonly Span[],
  index: TraceIndex,
  out: Set<Span>,
): void {
  if (a.length === 0 || b.length === 0) return;
  switch (rel) {
    case 'before':
      return beforeParticipants(a, b, within, out);
    case 'after':
      return beforeParticipants(b, a, within, out);
    case 'parent_of':
      return parentParticipants(a, b, index, out);
    case 'child_of':
      return parentParticipants(b, a, index, out);
    case 'ancestor_of':
      return void ancestorHolds(a, b, index, out);
    case 'descendant_of':
      return void ancestorHolds(b, a, index, out);
    default:
      return assertNever(rel);
  }
}

function beforeHolds(a: readonly Span[], b: readonly Span[], within: number): boolean {
  for (const x of a) if (hasLaterPartner(x, b, within)) return true;
  return false;
}

function beforeParticipants(a: readonly Span[], b: readonly Span[], within: number, out: Set<Span>): void {
  for (const x of a) if (hasLaterPartner(x, b, within)) out.add(x);
  const byEnd = a.slice().sort((x, y) => x.end - y.end);
  for (const y of b) if (hasEarlierPartner(y, byEnd, within)) out.add(y);
}

/** Some y ∈ b (by start), y ≠ x, with x.end <= y.start and y.start − x.end <= within. */
function hasLaterPartner(x: Span, b: readonly Span[], within: number): boolean {
  // The first y starting at or after x.end has the smallest gap; the gap grows with y.start.
  let lo = 0;
  let hi = b.length;
  const t = x.end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((b[mid] as Span).start < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo < b.length && b[lo] === x) lo++;
  return lo < b.length && (b[lo] as Span).start - t <= within;
}

/** Some x ∈ byEnd (sorted by end), x ≠ y, with x.end <= y.start and y.start − x.end <= within. */
function hasEarlierPartner(y: Span, byEnd: readonly Span[], within: number): boolean {
  // The last x ending at or before y.start has the smallest gap.
  let lo = 0;
  let hi = byEnd.length;
  const t = y.start;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((byEnd[mid] as Span).end <= t) lo = mid + 1;
    else hi = mid;
  }
  let i = lo - 1;
  if (i >= 0 && byEnd[i] === y) i--;
  return i >= 0 && t - (byEnd[i] as Span).end <= within;
}

function parentHolds(parents: readonly Span[], children: readonly Span[], index: TraceIndex): boolean {
  const isParent = membership(parents);
  for (const c of children) {
    const p = index.parentOf(c);
    if (p !== undefined && isParent(p)) return true;
  }
  return false;
}

function parentParticipants(parents: readonly Span[], children: readonly Span[], index: TraceIndex, out: Set<Span>): void {
  const isParent = membership(parents);
  for (const c of children) {
    const p = index.parentOf(c);
    if (p !== undefined && isParent(p)) {
      out.add(p);
      out.add(c);
    }
  }
}

/**
 * Walks each descendant candidate's parent chain. With `out`, records every participant instead of
 * stopping at the first. Malformed data can hold parent cycles: no chain is longer than the trace.
 */
function ancestorHolds(ancestors: readonly Span[], descendants: readonly Span[], index: TraceIndex, out: Set<Span> | undefined): boolean {
  const isAncestor = membership(ancestors);
  const limit = index.spans.length;
  let any = false;
  for (const d of descendants) {
    let found = false;
    let steps = 0;
    for (let x = index.parentOf(d); x !== undefined && steps < limit; x = index.parentOf(x), steps++) {
      if (x === d || !isAncestor(x)) continue;
      if (out === undefined) return true;
      out.add(x);
      found = true;
    }
    if (found) {
      out?.add(d);
      any = true;
    }
  }
  return any;
}

function membership(spans: readonly Span[]): (s: Span) => boolean {
  // A handful of spans (a bound label, a rare name) is faster to scan than to hash.
  if (spans.length <= 8) return (s) => spans.includes(s);
  const set = new Set(spans);
  return (s) => set.has(s);
}

function assertNever(x: never): never {
  throw new Error(`unexpected relation ${String(x)}`);
}
