/** When a trace counts as complete, and how much the assembler may hold. */
export interface AssemblyOptions {
  /** A trace whose root has arrived is complete after this long without a new span. */
  quietPeriodMs: number;
  /** A trace without its root is complete after this long without a new span. */
  idleTimeoutMs: number;
  /** Any trace is complete this long after its first span arrived. */
  maxTraceAgeMs: number;
  /** Buffered traces; past it the oldest trace is evaluated early. */
  maxTraces: number;
  /** Spans of one trace; past it the trace is evaluated early and further spans are dropped (counted). */
  maxSpansPerTrace: number;
  /** Estimated bytes of buffered spans; past it the oldest traces are evaluated early. */
  maxBytes: number;
  /** A span arriving this long after its trace was evaluated re-opens the trace for re-evaluation. */
  lateWindowMs: number;
  /** Completed traces kept for late spans and the trace view: at most this many… */
  recentTraces: number;
  /** …kept at most this long… */
  recentTraceMs: number;
  /** …and at most this many estimated bytes. */
  recentBytes: number;
}

export const DEFAULT_ASSEMBLY_OPTIONS: Readonly<AssemblyOptions> = Object.freeze({
  quietPeriodMs: 2_000,
  idleTimeoutMs: 10_000,
  maxTraceAgeMs: 60_000,
  maxTraces: 100_000,
  maxSpansPerTrace: 10_000,
  maxBytes: 512 * 1024 * 1024,
  lateWindowMs: 5 * 60_000,
  recentTraces: 10_000,
  recentTraceMs: 15 * 60_000,
  recentBytes: 256 * 1024 * 1024,
});

/** Why a trace was handed over for evaluation. */
export type CompletionCause =
  | 'quiet' // root arrived, then the quiet period passed
  | 'idle' // no root, idle timeout passed
  | 'max_age' // first span arrived maxTraceAgeMs ago
  | 'trace_limit' // too many buffered traces: oldest evaluated early
  | 'byte_limit' // buffered bytes over budget: oldest evaluated early
  | 'span_limit' // the trace reached maxSpansPerTrace
  | 'shutdown'; // drained at shutdown

export const COMPLETION_CAUSES: readonly CompletionCause[] = [
  'quiet', 'idle', 'max_age', 'trace_limit', 'byte_limit', 'span_limit', 'shutdown',
];
