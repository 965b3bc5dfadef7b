import type { Span } from '../span.ts';
import { type AssemblyOptions, type CompletionCause, DEFAULT_ASSEMBLY_OPTIONS } from './options.ts';
import { AssemblyCounters } from './counters.ts';
import { RecentTraces } from './recent-traces.ts';

/** A trace handed over for evaluation. */
export interface CompletedTrace {
  traceId: string;
  /** Distinct spans (by span id), in arrival order. */
  spans: Span[];
  cause: CompletionCause;
  /** True when late spans re-opened a trace that was evaluated before. */
  reevaluation: boolean;
  /** When the trace's first span arrived (ms). */
  firstSeen: number;
  /** When its last span arrived (ms): the start of the wait for a verdict. */
  lastSeen: number;
  /**
   * Whatever the evaluator left here on an earlier evaluation of this trace (e.g. the violations it
   * recorded), handed back on re-evaluation so it can tell new violations from resolved ones.
   */
  memo: Record<string, unknown>;
}

interface Pending {
  traceId: string;
  spans: Span[];
  ids: Set<string>;
  firstSeen: number;
  lastSeen: number;
  hasRoot: boolean;
  /** In one of the by-last-seen orderings (from its first accepted span on). */
  listed: boolean;
  bytes: number;
  reevaluation: boolean;
  memo: Record<string, unknown>;
}

/** What one `add` did; `completed` holds traces evaluated early because a limit was hit. */
export interface AddResult {
  accepted: number;
  duplicates: number;
  late: number;
  /** Spans dropped because their trace already had maxSpansPerTrace spans (counted, never silent). */
  overTraceLimit: number;
  completed: CompletedTrace[];
  /** Traces still buffered that accepted a span for which `watch` was true (each once). */
  watched: string[];
}

/** A buffered trace as it is now (for early decisions); its arrays belong to the assembler. */
export interface PendingTrace {
  traceId: string;
  spans: readonly Span[];
  /** The trace's memo, handed back to the evaluator with the completed trace. */
  memo: Record<string, unknown>;
}

/**
 * Assembles spans into traces and decides when each is complete. It has no timers: the caller
 * passes the clock to `add` and calls `tick(now)` regularly. Nothing accepted is dropped: when a
 * limit is hit, the oldest traces are completed early (and counted by cause).
 */
export class TraceAssembler {
  readonly options: AssemblyOptions;
  readonly counters = new AssemblyCounters();
  readonly recent: RecentTraces;
  // Three orderings of the same pending traces, so every tick touches only traces that are due:
  // by first arrival (max age), and by last activity for traces with and without their root.
  private readonly byFirstSeen = new Map<string, Pending>();
  private readonly rootedByLastSeen = new Map<string, Pending>();
  private readonly rootlessByLastSeen = new Map<string, Pending>();
  private spanCount = 0;
  private byteCount = 0;

  constructor(options: Partial<AssemblyOptions> = {}) {
    this.options = { ...DEFAULT_ASSEMBLY_OPTIONS, ...options };
    this.recent = new RecentTraces(this.options);
  }

  /**
   * Buffers spans (any mix of traces). `watch`, when given, is asked about every accepted span;
   * the traces of those it is true for are listed in `watched`.
   */
  add(spans: readonly Span[], now: number, watch?: (span: Span) => boolean): AddResult {
    const result: AddResult = { accepted: 0, duplicates: 0, late: 0, overTraceLimit: 0, completed: [], watched: [] };
    for (const span of spans) {
      if (this.addOne(span, now, result) && watch !== undefined && watch(span) && !result.watched.includes(span.traceId)) {
        result.watched.push(span.traceId);
      }
    }
    this.counters.spansAccepted += result.accepted;
    this.counters.duplicateSpans += result.duplicates;
    this.counters.lateSpans += result.late;
    this.counters.spansOverTraceLimit += result.overTraceLimit;
    while (this.byFirstSeen.size > this.options.maxTraces) this.evictOldest('trace_limit', now, result.completed);
    while (this.byteCount > this.options.maxBytes && this.byFirstSeen.size > 0) this.evictOldest('byte_limit', now, result.completed);
    if (result.watched.length > 0) result.watched = result.watched.filter((id) => this.byFirstSeen.has(id));
    return result;
  }

  /** A trace still being assembled, or `undefined` when it is not buffered. */
  peek(traceId: string): PendingTrace | undefined {
    return this.byFirstSeen.get(traceId);
  }

  /** Adds one span; true when it was accepted. */
  private addOne(span: Span, now: number, result: AddResult): boolean {
    let p = this.byFirstSeen.get(span.traceId);
    if (p === undefined) {
      const done = this.recent.reopen(span.traceId, now);
      if (done !== undefined) {
        if (done.ids.has(span.spanId)) {
          result.duplicates++;
          return false;
        }
        result.late++;
        p = this.start(span.traceId, now, done.spans, done.memo, true);
      } else {
        if (this.recent.takeForgotten(span.traceId, now)) this.counters.lateSpansAfterEviction++;
        p = this.start(span.traceId, now, [], {}, false);
      }
    } else if (p.ids.has(span.spanId)) {
      result.duplicates++;
      return false;
    }
    if (p.spans.length >= this.options.maxSpansPerTrace) {
      result.overTraceLimit++;
      return false;
    }
    const bytes = estimateSpanBytes(span);
    p.spans.push(span);
    p.ids.add(span.spanId);
    p.bytes += bytes;
    this.byteCount += bytes;
    this.spanCount++;
    result.accepted++;
    const wasRooted = p.hasRoot;
    if (span.parentSpanId === undefined) p.hasRoot = true;
    // Re-insert at the end of its activity ordering (Map keeps insertion order). A trace already
    // touched at `now` is behind every older entry, so the ordering holds without moving it.
    if (p.lastSeen !== now || wasRooted !== p.hasRoot || !p.listed) {
      p.lastSeen = now;
      p.listed = true;
      (wasRooted ? this.rootedByLastSeen : this.rootlessByLastSeen).delete(p.traceId);
      (p.hasRoot ? this.rootedByLastSeen : this.rootlessByLastSeen).set(p.traceId, p);
    }
    if (p.spans.length >= this.options.maxSpansPerTrace) result.completed.push(this.complete(p, 'span_limit', now));
    return true;
  }

  private start(traceId: string, now: number, spans: Span[], memo: Record<string, unknown>, reevaluation: boolean): Pending {
    const p: Pending = {
      traceId, spans: [], ids: new Set(), firstSeen: now, lastSeen: now, hasRoot: false, listed: false, bytes: 0, reevaluation, memo,
    };
    for (const s of spans) {
      const bytes = estimateSpanBytes(s);
      p.spans.push(s);
      p.ids.add(s.spanId);
      p.bytes += bytes;
      if (s.parentSpanId === undefined) p.hasRoot = true;
    }
    this.byteCount += p.bytes;
    this.spanCount += p.spans.length;
    this.byFirstSeen.set(traceId, p);
    return p;
  }

  /** Completes every trace that is due at `now`. */
  tick(now: number): CompletedTrace[] {
    const out: CompletedTrace[] = [];
    const { quietPeriodMs, idleTimeoutMs, maxTraceAgeMs } = this.options;
    for (const p of this.byFirstSeen.values()) {
      if (now - p.firstSeen < maxTraceAgeMs) break;
      out.push(this.complete(p, 'max_age', now));
    }
    for (const p of this.rootedByLastSeen.values()) {
      if (now - p.lastSeen < quietPeriodMs) break;
      out.push(this.complete(p, 'quiet', now));
    }
    for (const p of this.rootlessByLastSeen.values()) {
      if (now - p.lastSeen < idleTimeoutMs) break;
      out.push(this.complete(p, 'idle', now));
    }
    this.recent.expire(now);
    return out;
  }

  /** Completes everything buffered (shutdown). */
  drain(now: number): CompletedTrace[] {
    return [...this.byFirstSeen.values()].map((p) => this.complete(p, 'shutdown', now));
  }

  /** Buffered traces, spans and estimated bytes (for metrics and back-pressure). */
  get size(): { traces: number; spans: number; bytes: number } {
    return { traces: this.byFirstSeen.size, spans: this.spanCount, bytes: this.byteCount };
  }

  private evictOldest(cause: CompletionCause, now: number, out: CompletedTrace[]): void {
    const oldest = this.byFirstSeen.values().next();
    if (!oldest.done) out.push(this.complete(oldest.value, cause, now));
  }

  private complete(p: Pending, cause: CompletionCause, now: number): CompletedTrace {
    this.byFirstSeen.delete(p.traceId);
    this.rootedByLastSeen.delete(p.traceId);
    this.rootlessByLastSeen.delete(p.traceId);
    this.spanCount -= p.spans.length;
    this.byteCount -= p.bytes;
    this.counters.completed[cause]++;
    if (p.reevaluation) this.counters.reevaluations++;
    const done: CompletedTrace = {
      traceId: p.traceId, spans: p.spans, cause, reevaluation: p.reevaluation, firstSeen: p.firstSeen, lastSeen: p.lastSeen, memo: p.memo,
    };
    this.recent.remember(p.traceId, p.spans, p.ids, p.bytes, p.memo, now);
    return done;
  }
}

/**
 * A cheap estimate of what a buffered span costs in memory (object, ids, name and attribute map;
 * resource maps are shared and not counted). Calibrated by `bench/` against measured RSS.
 */
export function estimateSpanBytes(span: Span): number {
  return 320 + 2 * span.name.length + 96 * span.attributes.size;
}
