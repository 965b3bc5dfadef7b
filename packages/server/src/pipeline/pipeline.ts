import { type CompletedTrace, type Span, type TraceAssembler, type Violation, evaluateTrace, indexTrace } from '@betrace/engine';
import type { ViolationRecord } from '@betrace/store';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics.ts';
import type { RuleRegistry } from '../rules/rule-registry.ts';
import { EarlyVerdicts } from './early-verdicts.ts';
import type { ViolationRecorder } from './violation-recorder.ts';

/** What happened to the spans of one OTLP request after decoding. */
export type IngestOutcome =
  | { ok: true; accepted: number; duplicates: number; late: number; overTraceLimit: number }
  | { ok: false; retryAfterSeconds: number; message: string };

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
 * completed trace, and hands violations to the recorder. Driven by `tick()` on a short timer.
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

  /** Accepts decoded spans, or refuses them all when the violation backlog is at its bound. */
  ingest(spans: readonly Span[]): IngestOutcome {
    if (this.deps.recorder.full) {
      return { ok: false, retryAfterSeconds: 2, message: 'BeTrace is at its memory budget (violations waiting for the store); retry later' };
    }
    const now = this.now();
    this.early.refresh(this.deps.rules.compiled);
    const r = this.deps.assembler.add(spans, now, this.early.watch);
    if (r.completed.length > 0) this.evaluate(r.completed, now);
    if (r.watched.length > 0) this.early.decide(this.deps.assembler, r.watched, this.deps.recorder, this.deps.metrics, now);
    return { ok: true, accepted: r.accepted, duplicates: r.duplicates, late: r.late, overTraceLimit: r.overTraceLimit };
  }

  /** Evaluates the traces that are complete now and starts writing their violations. */
  tick(): Promise<void> {
    const now = this.now();
    const done = this.deps.assembler.tick(now);
    if (done.length > 0) this.evaluate(done, now);
    return this.deps.recorder.flush();
  }

  /**
   * Shutdown: evaluates everything still buffered and writes every violation, retrying until the
   * deadline; returns what the store would not take (the server spills it to disk).
   */
  async drain(deadlineMs = 10_000): Promise<ViolationRecord[]> {
    const now = this.now();
    this.evaluate(this.deps.assembler.drain(now), now);
    return this.deps.recorder.flushBefore(Date.now() + deadlineMs);
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
