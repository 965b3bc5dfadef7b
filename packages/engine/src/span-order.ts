import type { Span } from './span.ts';

/** Orders spans by start time, then span id: the order of every span list the engine reports. */
export function compareSpans(a: Span, b: Span): number {
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  // Plain code-unit order: ids are lower-case hex, and localeCompare would be slow and locale-bound.
  return a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;
}

/** The span ids of `spans` in report order (start, then id). */
export function orderedIds(spans: Iterable<Span>): string[] {
  return [...spans].sort(compareSpans).map((s) => s.spanId);
}
