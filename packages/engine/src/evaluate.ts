import type { CompiledRule } from './compile/rule.ts';
import type { Trace } from './span.ts';
import type { TraceIndex } from './trace-index.ts';
import { indexTrace } from './trace-index.ts';
import type { Violation } from './violation.ts';

/** A rule that could not be evaluated on a trace: an engine bug, reported instead of thrown. */
export interface RuleFailure {
  ruleId: string;
  traceId: string;
  message: string;
  error: unknown;
}

/** What evaluating a set of rules on one trace produced. */
export interface TraceEvaluation {
  violations: Violation[];
  /** Rules whose evaluation threw; the other rules' violations are still reported. */
  failures: RuleFailure[];
}

/** Evaluates every rule on one trace; a rule that throws is reported in `failures`, never rethrown. */
export function evaluateTrace(rules: readonly CompiledRule[], trace: Trace | TraceIndex, detectedAt: number = Date.now()): TraceEvaluation {
  const index = 'byName' in trace ? trace : indexTrace(trace);
  const violations: Violation[] = [];
  const failures: RuleFailure[] = [];
  for (const rule of rules) {
    try {
      for (const v of rule.evaluate(index)) {
        const out: Violation = {
          ruleId: rule.def.id,
          ruleName: rule.def.name,
          severity: rule.def.severity,
          traceId: index.traceId,
          trigger: v.trigger,
          offending: v.offending,
          reason: v.reason,
          detectedAt,
        };
        if (v.boundSpanId !== undefined) out.boundSpanId = v.boundSpanId;
        violations.push(out);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ ruleId: rule.def.id, traceId: index.traceId, message, error });
    }
  }
  return { violations, failures };
}
