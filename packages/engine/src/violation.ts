import type { RuleSeverity } from './rule.ts';

/** One failed judgement of a rule on a trace, before it is stamped with rule and trace identity. */
export interface RuleViolation {
  /** The span bound to the rule's label, for a labelled rule. */
  boundSpanId?: string;
  /** Spans that made `when` true, ordered by start, then id. */
  trigger: string[];
  /** Spans that matched the `never` block, ordered by start, then id. */
  offending: string[];
  /** `missing: <always>` and/or `forbidden: <never>`, joined by `; `. */
  reason: string;
}

/** A violation as the engine reports it: which rule, which trace, which spans, and why. */
export interface Violation {
  ruleId: string;
  ruleName: string;
  severity: RuleSeverity;
  traceId: string;
  boundSpanId?: string;
  trigger: string[];
  offending: string[];
  reason: string;
  /** Milliseconds since the Unix epoch. */
  detectedAt: number;
}
