import type { Rule } from '@betrace/dsl';

/** How bad a violation of the rule is. */
export type RuleSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** A rule ready for the engine: identity plus its parsed and checked tree. */
export interface RuleDefinition {
  id: string;
  name: string;
  severity: RuleSeverity;
  /** The rule text as written (for messages); the tree is authoritative. */
  text: string;
  rule: Rule;
}
