import type { TraceSpan } from '../api/types';

/** A span in display order with its depth and its place on the trace's time axis (0..1). */
export interface SpanRow {
  span: TraceSpan;
  depth: number;
  offset: number;
  width: number;
  hasChildren: boolean;
}

/**
 * Depth-first order of the spans (children by start time); spans whose parent is missing are
 * roots. Offsets are relative to the trace's first start, widths to its total duration.
 */
export function spanRows(spans: TraceSpan[]): SpanRow[] {
  if (spans.length === 0) {
    return [];
  }
  const start = spans.reduce((min, sp) => (BigInt(sp.startNs) < min ? BigInt(sp.startNs) : min), BigInt(spans[0]?.startNs ?? '0'));
  const end = spans.reduce((max, sp) => (BigInt(sp.endNs) > max ? BigInt(sp.endNs) : max), start);
  const total = Number(end - start) || 1;
  const ids = new Set(spans.map((sp) => sp.spanId));
  const children = new Map<string, TraceSpan[]>();
  const roots: TraceSpan[] = [];
  for (const sp of spans) {
    if (sp.parentSpanId !== null && ids.has(sp.parentSpanId) && sp.parentSpanId !== sp.spanId) {
      const list = children.get(sp.parentSpanId) ?? [];
      list.push(sp);
      children.set(sp.parentSpanId, list);
    } else {
      roots.push(sp);
    }
  }
  const byStart = (a: TraceSpan, b: TraceSpan) => (BigInt(a.startNs) < BigInt(b.startNs) ? -1 : BigInt(a.startNs) > BigInt(b.startNs) ? 1 : 0);
  const out: SpanRow[] = [];
  const seen = new Set<string>();
  const visit = (sp: TraceSpan, depth: number) => {
    if (seen.has(sp.spanId)) {
      return;
    }
    seen.add(sp.spanId);
    const kids = (children.get(sp.spanId) ?? []).sort(byStart);
    out.push({
      span: sp,
      depth,
      offset: Number(BigInt(sp.startNs) - start) / total,
      width: Math.max(0, Number(BigInt(sp.endNs) - BigInt(sp.startNs))) / total,
      hasChildren: kids.length > 0,
    });
    kids.forEach((k) => visit(k, depth + 1));
  };
  roots.sort(byStart).forEach((r) => visit(r, 0));
  // Spans caught in a parent cycle are still shown, at the top level.
  spans.filter((sp) => !seen.has(sp.spanId)).forEach((sp) => visit(sp, 0));
  return out;
}
