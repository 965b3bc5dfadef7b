// Runs a rule through both evaluators, so each hand-written expectation checks both at once.
import { analyzeRule } from '@betrace/dsl';
import type { Rule } from '@betrace/dsl';
import { compileRule } from '../compile/rule.ts';
import { interpretRule } from '../reference/interpret.ts';
import type { RuleDefinition } from '../rule.ts';
import type { Trace } from '../span.ts';
import { indexTrace } from '../trace-index.ts';
import type { RuleViolation } from '../violation.ts';

/** A checked rule definition from rule text; throws with the diagnostics when the text is invalid. */
export function ruleDef(text: string, id = 'r1'): RuleDefinition {
  const result = analyzeRule(text);
  if (!result.ok) throw new Error(`invalid rule ${text}: ${result.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return { id, name: `rule ${id}`, severity: 'high', text, rule: result.rule };
}

/** The compiled evaluator's and the reference interpreter's violations for one rule on one trace. */
export function evaluateBoth(rule: string | Rule, trace: Trace): { compiled: RuleViolation[]; reference: RuleViolation[] } {
  const def = typeof rule === 'string' ? ruleDef(rule) : { id: 'r1', name: 'r1', severity: 'high' as const, text: '', rule };
  return { compiled: compileRule(def).evaluate(indexTrace(trace)), reference: interpretRule(def, trace) };
}
