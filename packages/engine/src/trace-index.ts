import type { Span, Trace } from './span.ts';
import { compareSpans } from './span-order.ts';

/**
 * One trace prepared for evaluation: deduplicated, ordered, and indexed by name and id.
 * Built once per trace and shared by every rule; parts that only some rules need are lazy.
 */
export interface TraceIndex {
  readonly traceId: string;
  /** Distinct spans (first arrival wins per span id), ordered by start, then span id. */
  readonly spans: readonly Span[];
  /** Spans by name, each list in `spans` order. */
  readonly byName: ReadonlyMap<string, readonly Span[]>;
  readonly byId: ReadonlyMap<string, Span>;
  /** The span without parent; with several, the earliest start, then the lowest id. */
  readonly root: Span | undefined;
  /** Latest end − earliest start; `undefined` for a trace without spans. */
  readonly duration: number | undefined;
  readonly spanCount: number;
  readonly errorCount: number;
  /** Distinct non-empty service names. */
  serviceCount(): number;
  /** The span's parent when it arrived (and is not the span itself). */
  parentOf(span: Span): Span | undefined;
  /** Children of the span, in `spans` order. */
  childrenOf(span: Span): readonly Span[];
}

const NO_SPANS: readonly Span[] = [];

/** Indexes a trace: dedupes by span id, orders by (start, id), groups by name. */
export function indexTrace(trace: Trace): TraceIndex {
  const byId = new Map<string, Span>();
  const input = trace.spans;
  let spans: Span[] = [];
  let sorted = true;
  let prev: Span | undefined;
  for (let i = 0; i < input.length; i++) {
    const s = input[i] as Span;
    if (byId.has(s.spanId)) continue;
    byId.set(s.spanId, s);
    spans.push(s);
    if (prev !== undefined && compareSpans(prev, s) > 0) sorted = false;
    prev = s;
  }
  // Exporters usually send spans roughly in order; skip the sort when they already are.
  if (!sorted) spans = spans.sort(compareSpans);

  const byName = new Map<string, Span[]>();
  let root: Span | undefined;
  let minStart = Infinity;
  let maxEnd = -Infinity;
  let errorCount = 0;
  for (const s of spans) {
    const list = byName.get(s.name);
    if (list === undefined) byName.set(s.name, [s]);
    else list.push(s);
    // Spans are in (start, id) order, so the first parentless span is the root.
    if (root === undefined && s.parentSpanId === undefined) root = s;
    if (s.start < minStart) minStart = s.start;
    if (s.end > maxEnd) maxEnd = s.end;
    if (s.status === 'error') errorCount++;
  }
  return new IndexedTrace(trace.traceId, spans, byName, byId, root, spans.length === 0 ? undefined : maxEnd - minStart, errorCount);
}

class IndexedTrace implements TraceIndex {
  readonly traceId: string;
  readonly spans: readonly Span[];
  readonly byName: ReadonlyMap<string, readonly Span[]>;
  readonly byId: ReadonlyMap<string, Span>;
  readonly root: Span | undefined;
  readonly duration: number | undefined;
  readonly errorCount: number;
  #serviceCount = -1;
  #children: Map<string, Span[]> | undefined;

  constructor(
    traceId: string,
    spans: readonly Span[],
    byName: ReadonlyMap<string, readonly Span[]>,
    byId: ReadonlyMap<string, Span>,
    root: Span | undefined,
    duration: number | undefined,
    errorCount: number,
  ) {
    this.traceId = traceId;
    this.spans = spans;
    this.byName = byName;
    this.byId = byId;
    this.root = root;
    this.duration = duration;
    this.errorCount = errorCount;
  }

  get spanCount(): number {
    return this.spans.length;
  }

  serviceCount(): number {
    if (this.#serviceCount < 0) {
      const services = new Set<string>();
      for (const s of this.spans) if (s.service !== '') services.add(s.service);
      this.#serviceCount = services.size;
    }
    return this.#serviceCount;
  }

  parentOf(span: Span): Span | undefined {
    if (span.parentSpanId === undefined) return undefined;
    const parent = this.byId.get(span.parentSpanId);
    return parent === span ? undefined : parent;
  }

  childrenOf(span: Span): readonly Span[] {
    if (this.#children === undefined) {
      const children = new Map<string, Span[]>();
      for (const s of this.spans) {
        if (s.parentSpanId === undefined || s.parentSpanId === s.spanId) continue;
        const list = children.get(s.parentSpanId);
        if (list === undefined) children.set(s.parentSpanId, [s]);
        else list.push(s);
      }
      this.#children = children;
    }
    return this.#children.get(span.spanId) ?? NO_SPANS;
  }
}
