import { type CompiledRule, type Span, type TraceAssembler, type Violation, evaluateTrace, indexTrace } from '@betrace/engine';
import type { Metrics } from '../metrics/metrics.ts';
import type { ViolationRecorder } from './violation-recorder.ts';

const NONE: readonly CompiledRule[] = [];

/**
 * Early decisions: a rule whose violation one span can prove (`CompiledRule.early`, e.g.
 * `never { payment.charge.where(currency != USD) }`) is judged as soon as such a span arrives,
 * instead of a quiet period after the trace's last span. The trace is still evaluated in full when
 * it completes; the recorder then finds the violation already recorded.
 */
export class EarlyVerdicts {
  private source: readonly CompiledRule[] | undefined;
  private byName = new Map<string, CompiledRule[]>();
  private anyName: readonly CompiledRule[] = NONE;
  /** For `TraceAssembler.add`: true for a span that may decide some rule; undefined without such rules. */
  watch: ((span: Span) => boolean) | undefined;

  /** Follows the current rule snapshot (cheap when it has not changed). */
  refresh(rules: readonly CompiledRule[]): void {
    if (rules === this.source) return;
    this.source = rules;
    this.byName = new Map();
    const any: CompiledRule[] = [];
    for (const r of rules) {
      if (r.early === undefined) continue;
      if (r.early.names === undefined) any.push(r);
      else for (const n of r.early.names) this.byName.set(n, [...(this.byName.get(n) ?? []), r]);
    }
    this.anyName = any;
    this.watch = this.byName.size === 0 && any.length === 0 ? undefined : (span) => this.decides(span);
  }

  private decides(span: Span): boolean {
    for (const r of this.anyName) if (r.early!.test(span)) return true;
    const named = this.byName.get(span.name);
    if (named !== undefined) for (const r of named) if (r.early!.test(span)) return true;
    return false;
  }

  /** Judges the watched traces by their early rules and records what is already certain. */
  decide(assembler: TraceAssembler, watched: readonly string[], recorder: ViolationRecorder, metrics: Metrics, now: number): void {
    for (const traceId of watched) {
      const trace = assembler.peek(traceId);
      if (trace === undefined) continue;
      const decided = (trace.memo.early as string[] | undefined) ?? [];
      const rules = this.rulesFor(trace.spans, decided);
      if (rules.length === 0) continue;
      const index = indexTrace(trace);
      const violations: Violation[] = [];
      for (const v of evaluateTrace(rules, index, now).violations) violations.push(v);
      // the span proved it: a rule whose test matched is decided whatever evaluation says
      trace.memo.early = [...decided, ...rules.map((r) => r.def.id)];
      if (violations.length === 0) continue;
      recorder.acceptEarly(trace.memo, index, violations, now);
      for (const v of violations) metrics.earlyVerdicts.inc({ rule_id: v.ruleId });
    }
  }

  /** The early rules not yet decided for this trace that one of its spans satisfies. */
  private rulesFor(spans: readonly Span[], decided: readonly string[]): CompiledRule[] {
    const out: CompiledRule[] = [];
    const consider = (r: CompiledRule): void => {
      if (decided.includes(r.def.id) || out.includes(r)) return;
      for (const s of spans) {
        if (r.early!.test(s)) {
          out.push(r);
          return;
        }
      }
    };
    for (const r of this.anyName) consider(r);
    for (const rules of this.byName.values()) for (const r of rules) consider(r);
    return out;
  }
}
