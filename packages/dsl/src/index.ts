export type {
  Aggregate, AggregateAtom, AggregateFn, AndCondition, AnySelector, Atom, AttributeField, BinaryOp, Block,
  BlockKeyword, BoolLiteral, CompareOp, Condition, DurationLiteral, DurationUnit, ExistsAtom, Field, Identifier,
  InTest, Intrinsic, IntrinsicField, LabelField, LabelSelector, Literal, MatchOp, NameSelector, NotCondition,
  NullLiteral, NumberLiteral, OpTest, OrCondition, Pattern, PredAnd, PredNot, PredOr, PredTest, PredTruthy,
  Predicate, Range, Relation, RelationAtom, Rule, Selector, StringLiteral, TraceAtom, TraceField, Value, ValueTest,
} from './ast.ts';
export type { Diagnostic, DiagnosticCode, Severity } from './diagnostic.ts';
export { DIAGNOSTIC_CODES, toByteRange, lineColumn, hasErrors } from './diagnostic.ts';
export type { Limits } from './limits.ts';
export { DEFAULT_LIMITS } from './limits.ts';
export type { LinearRegex, RegexResult } from './regex.ts';
export { compileRegex } from './regex.ts';
export type { ParseResult } from './parse/parse-rule.ts';
export { parseRule } from './parse/parse-rule.ts';
export { checkRule } from './check/check-rule.ts';
export { SPAN_KINDS, SPAN_STATUSES } from './check/check-types.ts';
export type { AnalyzeResult } from './analyze.ts';
export { analyzeRule } from './analyze.ts';
export { printRule, printCondition, printPredicate } from './printer.ts';
export type { RenderOptions } from './render.ts';
export { renderDiagnostic } from './render.ts';
export type { RuleReads } from './reads.ts';
export { ruleReads } from './reads.ts';
export type { WalkContext, Visitor } from './walk.ts';
export { walkRule } from './walk.ts';
export { lex } from './lexer.ts';
export { hasComments } from './comments.ts';
export type { Token, TokenKind } from './token.ts';
export { KEYWORDS } from './token.ts';
