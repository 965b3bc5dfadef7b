import type { Span, Trace } from '../span.ts';
import type { AssemblyOptions } from './options.ts';

interface Entry {
  spans: Span[];
  ids: Set<string>;
  bytes: number;
  memo: Record<string, unknown>;
  completedAt: number;
}

/**
 * Recently completed traces, bounded by count, age and bytes (oldest forgotten first). They serve
 * two needs: late spans re-open their trace for re-evaluation, and the UI shows a violation's trace
 * without Tempo.
 */
export class RecentTraces {
  private readonly entries = new Map<string, Entry>();
  private readonly options: AssemblyOptions;
  private bytes = 0;
  /** Traces forgotten because a bound was reached (not by age): late spans for them start afresh. */
  forgottenEarly = 0;
  /**
   * Ids of traces forgotten early, with when, so a late span for one can be told apart from a new
   * trace and counted (ids only: a few dozen bytes each, bounded like the traces themselves).
   */
  private readonly forgotten = new Map<string, number>();

  constructor(options: AssemblyOptions) {
    this.options = options;
  }

  remember(traceId: string, spans: Span[], ids: Set<string>, bytes: number, memo: Record<string, unknown>, completedAt: number): void {
    this.drop(traceId);
    if (this.options.recentTraces <= 0) return;
    this.entries.set(traceId, { spans, ids, bytes, memo, completedAt });
    this.bytes += bytes;
    while (this.entries.size > this.options.recentTraces || this.bytes > this.options.recentBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      const e = this.entries.get(oldest.value);
      this.drop(oldest.value);
      this.forgottenEarly++;
      this.forgotten.set(oldest.value, e?.completedAt ?? 0);
      if (this.forgotten.size > this.options.recentTraces) this.forgotten.delete(this.forgotten.keys().next().value as string);
    }
  }

  /**
   * Takes a completed trace back for re-evaluation when a late span arrives within the late window.
   * Returns undefined when the trace is unknown or its window has passed.
   */
  reopen(traceId: string, now: number): Entry | undefined {
    const e = this.entries.get(traceId);
    if (e === undefined || now - e.completedAt > this.options.lateWindowMs) return undefined;
    this.drop(traceId);
    return e;
  }

  /**
   * True (once) when a span arrives for a trace that was forgotten early while still inside the
   * late window: its earlier spans are gone, so it can only be judged as a fragment.
   */
  takeForgotten(traceId: string, now: number): boolean {
    const at = this.forgotten.get(traceId);
    if (at === undefined) return false;
    this.forgotten.delete(traceId);
    return now - at <= this.options.lateWindowMs;
  }

  /** A completed trace, if still kept. */
  get(traceId: string): Trace | undefined {
    const e = this.entries.get(traceId);
    return e && { traceId, spans: e.spans };
  }

  /** Trace ids, newest completion first. */
  ids(limit: number): string[] {
    return [...this.entries.keys()].slice(-limit).reverse();
  }

  /** The newest completed traces with their completion time, newest first. */
  newest(limit: number): Array<{ trace: Trace; completedAt: number }> {
    return this.ids(limit).map((traceId) => {
      const e = this.entries.get(traceId)!;
      return { trace: { traceId, spans: e.spans }, completedAt: e.completedAt };
    });
  }

  get size(): { traces: number; bytes: number } {
    return { traces: this.entries.size, bytes: this.bytes };
  }

  /** Forgets traces older than the recent-trace age. */
  expire(now: number): void {
    for (const [id, e] of this.entries) {
      if (now - e.completedAt < this.options.recentTraceMs) break;
      this.drop(id);
    }
  }

  private drop(traceId: string): void {
    const e = this.entries.get(traceId);
    if (e === undefined) return;
    this.entries.delete(traceId);
    this.bytes -= e.bytes;
  }
}
