import { describe, expect, it } from 'vitest';
import type { Span } from '../span.ts';
import { span as makeSpan } from '../testing/spans.ts';
import { TraceAssembler } from './assembler.ts';

function s(traceId: string, id: string, parent?: string, attrs: Record<string, string> = {}): Span {
  const base = parent === undefined ? makeSpan({ id, name: `op-${id}`, attrs }) : makeSpan({ id, name: `op-${id}`, parent, attrs });
  return { ...base, traceId };
}

const opts = { quietPeriodMs: 2_000, idleTimeoutMs: 10_000, maxTraceAgeMs: 60_000 };

describe('TraceAssembler completion', () => {
  it('completes a trace with its root after the quiet period, not before', () => {
    const a = new TraceAssembler(opts);
    a.add([s('t1', 'r'), s('t1', 'c', 'r')], 0);
    expect(a.tick(1_999)).toEqual([]);
    const done = a.tick(2_000);
    expect(done.map((d) => [d.traceId, d.cause, d.spans.length])).toEqual([['t1', 'quiet', 2]]);
    expect(a.size).toEqual({ traces: 0, spans: 0, bytes: 0 });
  });

  it('restarts the quiet period when a span arrives', () => {
    const a = new TraceAssembler(opts);
    a.add([s('t1', 'r')], 0);
    a.add([s('t1', 'c', 'r')], 1_500);
    expect(a.tick(2_500)).toEqual([]);
    expect(a.tick(3_500).map((d) => d.cause)).toEqual(['quiet']);
  });

  it('waits for the idle timeout when the root never arrives', () => {
    const a = new TraceAssembler(opts);
    a.add([s('t1', 'c', 'missing-root')], 0);
    expect(a.tick(9_999)).toEqual([]);
    expect(a.tick(10_000).map((d) => d.cause)).toEqual(['idle']);
  });

  it('completes a trace that keeps receiving spans at its maximum age', () => {
    const a = new TraceAssembler(opts);
    for (let t = 0; t <= 60_000; t += 1_000) a.add([s('t1', `c${t}`, 'missing')], t);
    const done = a.tick(60_000);
    expect(done.map((d) => [d.cause, d.spans.length])).toEqual([['max_age', 61]]);
  });

  it('moves a trace to the quiet-period ordering when its root arrives late', () => {
    const a = new TraceAssembler(opts);
    a.add([s('t1', 'c', 'r')], 0);
    a.add([s('t1', 'r')], 1_000);
    expect(a.tick(3_000).map((d) => d.cause)).toEqual(['quiet']);
  });

  it('counts a duplicate span id once', () => {
    const a = new TraceAssembler(opts);
    const r = a.add([s('t1', 'r'), s('t1', 'r'), s('t1', 'c', 'r')], 0);
    expect(r).toMatchObject({ accepted: 2, duplicates: 1 });
    expect(a.tick(2_000)[0]?.spans.map((x) => x.spanId)).toEqual(['r', 'c']);
    expect(a.counters.duplicateSpans).toBe(1);
  });

  it('drains everything at shutdown', () => {
    const a = new TraceAssembler(opts);
    a.add([s('t1', 'r'), s('t2', 'x', 'y')], 0);
    expect(a.drain(1).map((d) => [d.traceId, d.cause])).toEqual([['t1', 'shutdown'], ['t2', 'shutdown']]);
  });
});

describe('TraceAssembler limits evaluate early instead of dropping', () => {
  it('completes the oldest trace when too many are buffered', () => {
    const a = new TraceAssembler({ ...opts, maxTraces: 2 });
    a.add([s('t1', 'a')], 0);
    a.add([s('t2', 'b')], 1);
    const r = a.add([s('t3', 'c')], 2);
    expect(r.completed.map((d) => [d.traceId, d.cause])).toEqual([['t1', 'trace_limit']]);
    expect(a.size.traces).toBe(2);
    expect(a.counters.completed.trace_limit).toBe(1);
  });

  it('completes the oldest traces when the byte budget is exceeded', () => {
    const a = new TraceAssembler({ ...opts, maxBytes: 1_000 });
    a.add([s('t1', 'a'), s('t1', 'b', 'a')], 0);
    const r = a.add([s('t2', 'c'), s('t2', 'd', 'c')], 1);
    expect(r.completed.map((d) => d.cause)).toContain('byte_limit');
    expect(a.size.bytes).toBeLessThanOrEqual(1_000);
  });

  it('completes a trace that reaches the span limit and counts the spans beyond it', () => {
    const a = new TraceAssembler({ ...opts, maxSpansPerTrace: 3 });
    const r = a.add([s('t1', 'a'), s('t1', 'b', 'a'), s('t1', 'c', 'a')], 0);
    expect(r.completed.map((d) => [d.cause, d.spans.length])).toEqual([['span_limit', 3]]);
    // the completed trace re-opens for the late span but stays at its limit
    const more = a.add([s('t1', 'd', 'a')], 1);
    expect(more).toMatchObject({ accepted: 0, late: 1, overTraceLimit: 1 });
  });
});

describe('TraceAssembler late spans', () => {
  it('re-opens a completed trace with all its spans and hands back the memo', () => {
    const a = new TraceAssembler({ ...opts, lateWindowMs: 60_000 });
    a.add([s('t1', 'r')], 0);
    const [first] = a.tick(2_000);
    expect(first?.reevaluation).toBe(false);
    first!.memo.recorded = ['v1'];
    const r = a.add([s('t1', 'late', 'r')], 5_000);
    expect(r).toMatchObject({ accepted: 1, late: 1 });
    const [again] = a.tick(7_000);
    expect(again?.reevaluation).toBe(true);
    expect(again?.spans.map((x) => x.spanId)).toEqual(['r', 'late']);
    expect(again?.memo).toEqual({ recorded: ['v1'] });
    expect(a.counters.lateSpans).toBe(1);
    expect(a.counters.reevaluations).toBe(1);
  });

  it('ignores a span that was already evaluated (a retried export)', () => {
    const a = new TraceAssembler(opts);
    a.add([s('t1', 'r')], 0);
    a.tick(2_000);
    expect(a.add([s('t1', 'r')], 3_000)).toMatchObject({ accepted: 0, duplicates: 1, late: 0 });
    expect(a.size.traces).toBe(0);
  });

  it('starts a fresh trace for a span that arrives after the late window', () => {
    const a = new TraceAssembler({ ...opts, lateWindowMs: 1_000 });
    a.add([s('t1', 'r')], 0);
    a.tick(2_000);
    expect(a.add([s('t1', 'x', 'r')], 3_500)).toMatchObject({ accepted: 1, late: 0 });
    expect(a.tick(13_500)[0]).toMatchObject({ reevaluation: false, cause: 'idle' });
  });

  it('counts a late span whose trace was forgotten early, and judges it as a new fragment', () => {
    const a = new TraceAssembler({ ...opts, recentTraces: 1, lateWindowMs: 60_000 });
    a.add([s('t1', 'r')], 0);
    a.add([s('t2', 'r')], 0);
    a.tick(2_000); // t1 then t2 completed; t1 is forgotten to keep one recent trace
    const r = a.add([s('t1', 'late', 'r')], 3_000);
    expect(r).toMatchObject({ accepted: 1, late: 0 });
    expect(a.counters.lateSpansAfterEviction).toBe(1);
    expect(a.recent.forgottenEarly).toBe(1);
  });

  it('keeps recently completed traces for the trace view, bounded by count', () => {
    const a = new TraceAssembler({ ...opts, recentTraces: 2 });
    for (const id of ['t1', 't2', 't3']) a.add([s(id, 'r')], 0);
    a.tick(2_000);
    expect(a.recent.ids(10)).toEqual(['t3', 't2']);
    expect(a.recent.get('t1')).toBeUndefined();
    expect(a.recent.get('t3')?.spans).toHaveLength(1);
  });
});
