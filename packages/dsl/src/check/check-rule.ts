import type { Rule } from '../ast.ts';
import type { Diagnostic } from '../diagnostic.ts';
import { DEFAULT_LIMITS, type Limits } from '../limits.ts';
import { checkLabels } from './check-labels.ts';
import { checkTypes } from './check-types.ts';

/** Every semantic diagnostic of a parsed rule, in source order. */
export function checkRule(rule: Rule, limits: Limits = DEFAULT_LIMITS): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!rule.always && !rule.never) {
    out.push({
      code: 'rule_without_assertion', severity: 'error', range: rule.when ? { start: rule.when.range.start, end: rule.when.range.start + 4 } : rule.range,
      message: 'the rule has a when block but nothing to assert', hint: 'add `always { … }` or `never { … }`',
    });
  }
  checkLabels(rule, out);
  checkTypes(rule, limits, out);
  return out.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
}
