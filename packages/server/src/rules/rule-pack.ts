// The one place the server reaches into the YAML rule-pack reader. It moves from @betrace/cli to
// @betrace/rulepack (same exports); switching is this import line.
export { formatProblem, readRuleFile } from '@betrace/rulepack';
export type { Position, Problem, RuleFileResult, RuleSpec } from '@betrace/rulepack';
