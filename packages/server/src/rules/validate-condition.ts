import { type RuleReads, analyzeRule, printRule, ruleReads } from '@betrace/dsl';
import { type DiagnosticView, diagnosticView } from './diagnostic-view.ts';

/** What the editor gets back for a condition: diagnostics, and the canonical form when it checks. */
export interface ConditionCheck {
  ok: boolean;
  diagnostics: DiagnosticView[];
  /** `printRule` of the condition, when it has no errors. */
  canonical?: string;
  /** Span names, attributes and fields the rule reads, when it parses. */
  reads?: RuleReads;
}

export function checkCondition(condition: string): ConditionCheck {
  const analyzed = analyzeRule(condition);
  const out: ConditionCheck = { ok: analyzed.ok, diagnostics: analyzed.diagnostics.map((d) => diagnosticView(condition, d)) };
  if (analyzed.ok) out.canonical = printRule(analyzed.rule);
  if (analyzed.rule !== undefined) out.reads = ruleReads(analyzed.rule);
  return out;
}
