import { type CompletedTrace, type Span, type TraceAssembler, type Violation, evaluateTrace, indexTrace } from '@betrace/engine';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics.ts';
import type { RuleRegistry } from '../rules/rule-registry.ts';
import { EarlyVerdicts } from './early-verdicts.ts';
import type { ViolationRecorder } from './violation-recorder.ts';

/** How often buffered traces are checked for completion (and violations written). */
export const TICK_MS = 50;

/** What happened to the spans of one OTLP request after decoding. */
export interface IngestOutcome {
  accepted: number;
  duplicates: number;
  late: number;
  overTraceLimit: number;
}

export interface PipelineDeps {
  assembler: TraceAssembler;
  rules: RuleRegistry;
  recorder: ViolationRecorder;
  metrics: Metrics;
  logger: Logger;
  now?: () => number;
}

/**
 * Spans in, verdicts out: buffers spans in the assembler, evaluates every enabled rule once per
 * completed trace, and hands violations to the recorder. Driven by `tick()` on a short timer. It
 * runs on the main thread, or one per worker thread on the traces of that worker's shard.
 */
export class Pipeline {
  private readonly deps: PipelineDeps;
  private readonly now: () => number;
  /** Rules that failed with an internal error, logged once each (then only counted). */
  private readonly loggedFailures = new Set<string>();
  private readonly early = new EarlyVerdicts();
  tracesEvaluated = 0;

  constructor(deps: PipelineDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  /** Accepts decoded spans; evaluates the traces that memory bounds complete now and early verdicts. */
  ingest(spans: readonly Span[]): IngestOutcome {
    const now = this.now();
    this.early.refresh(this.deps.rules.compiled);
    const r = this.deps.assembler.add(spans, now, this.early.watch);
    if (r.completed.length > 0) this.evaluate(r.completed, now);
    if (r.watched.length > 0) this.early.decide(this.deps.assembler, r.watched, this.deps.recorder, this.deps.metrics, now);
    return { accepted: r.accepted, duplicates: r.duplicates, late: r.late, overTraceLimit: r.overTraceLimit };
  }

  /** Evaluates the traces that are complete now. */
  tick(): void {
    const now = this.now();
    const done = this.deps.assembler.tick(now);
    if (done.length > 0) this.evaluate(done, now);
  }

  /** Shutdown: evaluates everything still buffered. */
  drain(): void {
    const now = this.now();
    this.evaluate(this.deps.assembler.drain(now), now);
  }

  private evaluate(traces: readonly CompletedTrace[], now: number): void {
    const { rules, metrics, recorder } = this.deps;
    const compiled = rules.compiled;
    for (const t of traces) {
      const index = indexTrace({ traceId: t.traceId, spans: t.spans });
      const violations: Violation[] = [];
      for (const rule of compiled) {
        const start = performance.now();
        const result = evaluateTrace([rule], index, now);
        metrics.ruleEvaluation.observe({ rule_id: rule.def.id }, (performance.now() - start) / 1000);
        for (const v of result.violations) violations.push(v);
        for (const f of result.failures) this.ruleFailed(f.ruleId, f.traceId, f.error);
      }
      recorder.accept(t, index, violations, now);
      metrics.verdictLatency.observe({ cause: t.cause }, (now - t.lastSeen) / 1000);
      metrics.spansEvaluated.inc(t.spans.length);
      this.tracesEvaluated++;
    }
  }

  private ruleFailed(ruleId: string, traceId: string, error: unknown): void {
    this.deps.metrics.ruleErrors.inc({ rule_id: ruleId });
    if (this.loggedFailures.has(ruleId)) return;
    this.loggedFailures.add(ruleId);
    this.deps.logger.error({ ruleId, traceId, err: error }, 'rule evaluation failed with an internal error (logged once per rule; counted in betrace_rule_errors_total)');
  }
}
