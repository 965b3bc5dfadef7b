import { COMPLETION_CAUSES, type CompletionCause } from './options.ts';

/** Monotonic counts of what the assembler did; the server exports them as Prometheus counters. */
export class AssemblyCounters {
  spansAccepted = 0;
  duplicateSpans = 0;
  /** Spans that arrived after their trace was evaluated and re-opened it. */
  lateSpans = 0;
  spansOverTraceLimit = 0;
  /**
   * Late spans whose trace had already been forgotten (recent-trace bounds too small for the late
   * window): the trace is judged again as a fragment, which can miss context.
   */
  lateSpansAfterEviction = 0;
  reevaluations = 0;
  readonly completed: Record<CompletionCause, number> = Object.fromEntries(
    COMPLETION_CAUSES.map((c) => [c, 0]),
  ) as Record<CompletionCause, number>;
}
