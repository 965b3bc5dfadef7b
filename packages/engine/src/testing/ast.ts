// Hand-built syntax trees for tests, so engine tests do not depend on the parser's progress.
import type {
  Aggregate, AggregateFn, AttributeField, BinaryOp, Block, CompareOp, Condition, DurationLiteral, Field, Intrinsic,
  IntrinsicField, LabelField, Literal, NumberLiteral, Pattern, PredTest, Predicate, Relation, Rule, TraceField, Value,
} from '@betrace/dsl';
import type { RuleDefinition } from '../rule.ts';

const range = { start: 0, end: 0 };

/** A pattern: a span name, `*`, or `{ ref: 'p' }` for a label reference, with `.where` clauses. */
export function pat(selector: string | { ref: string }, ...wheres: Predicate[]): Pattern {
  const sel =
    typeof selector !== 'string'
      ? { kind: 'label_ref' as const, label: selector.ref, range }
      : selector === '*'
        ? { kind: 'any' as const, range }
        : { kind: 'name' as const, name: selector, range };
  return { kind: 'pattern', selector: sel, wheres, range };
}

/** `label: selector.where(…)`. */
export function labelled(label: string, selector: string, ...wheres: Predicate[]): Pattern {
  return { ...pat(selector, ...wheres), label: { name: label, range } };
}

export const exists = (pattern: Pattern): Condition => ({ kind: 'exists', pattern, range });
export const and = (left: Condition, right: Condition): Condition => ({ kind: 'and', left, right, range });
export const or = (left: Condition, right: Condition): Condition => ({ kind: 'or', left, right, range });
export const not = (operand: Condition): Condition => ({ kind: 'not', operand, range });

export function rel(left: Pattern, relation: Relation, right: Pattern, within?: DurationLiteral): Condition {
  return within === undefined ? { kind: 'relation', left, relation, right, range } : { kind: 'relation', left, relation, right, within, range };
}

export function agg(fn: AggregateFn, pattern: Pattern, field?: Field): Aggregate {
  return field === undefined ? { kind: 'aggregate_fn', fn, pattern, range } : { kind: 'aggregate_fn', fn, pattern, field, range };
}

export function aggAtom(left: Aggregate, op: CompareOp, right: Aggregate | NumberLiteral | DurationLiteral): Condition {
  return { kind: 'aggregate', left, op, right, range };
}

export function traceAtom(field: TraceField, op: BinaryOp | 'in', value: Value | Literal[]): Condition {
  const test = Array.isArray(value) ? { kind: 'in' as const, values: value, range } : { kind: 'op' as const, op: op as BinaryOp, value, range };
  return { kind: 'trace', field, fieldRange: range, test, range };
}

export function test(field: Field, op: BinaryOp, value: Value): PredTest {
  return { kind: 'test', field, test: { kind: 'op', op, value, range }, range };
}

export function isIn(field: Field, values: Literal[]): PredTest {
  return { kind: 'test', field, test: { kind: 'in', values, range }, range };
}

export const truthy = (field: Field): Predicate => ({ kind: 'truthy', field, range });
export const pand = (left: Predicate, right: Predicate): Predicate => ({ kind: 'pand', left, right, range });
export const por = (left: Predicate, right: Predicate): Predicate => ({ kind: 'por', left, right, range });
export const pnot = (operand: Predicate): Predicate => ({ kind: 'pnot', operand, range });

export const attr = (key: string): AttributeField => ({ kind: 'attr', scope: 'any', key, range });
export const res = (key: string): AttributeField => ({ kind: 'attr', scope: 'resource', key, range });
export const intr = (name: Intrinsic): IntrinsicField => ({ kind: 'intrinsic', name, range });
export const lf = (label: string, field: AttributeField | IntrinsicField): LabelField => ({ kind: 'label_field', label, field, range });

export const str = (value: string): Literal => ({ kind: 'string', value, range });
export const num = (value: number): NumberLiteral => ({ kind: 'number', value, text: String(value), range });
export const bool = (value: boolean): Literal => ({ kind: 'bool', value, range });
export const nul = (): Literal => ({ kind: 'null', range });

const UNIT_NANOS = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 } as const;

/** A duration literal such as `dur(250, 'ms')`. */
export function dur(amount: number, unit: keyof typeof UNIT_NANOS): DurationLiteral {
  return { kind: 'duration', nanos: amount * UNIT_NANOS[unit], text: `${amount}${unit}`, range };
}

const block = (keyword: Block['keyword'], condition: Condition): Block => ({ kind: 'block', keyword, condition, range });

/** A rule from its blocks. */
export function rule(blocks: { when?: Condition; always?: Condition; never?: Condition }): Rule {
  const r: Rule = { kind: 'rule', range };
  if (blocks.when) r.when = block('when', blocks.when);
  if (blocks.always) r.always = block('always', blocks.always);
  if (blocks.never) r.never = block('never', blocks.never);
  return r;
}

/** A rule definition around a tree. */
export function def(r: Rule, id = 'r1'): RuleDefinition {
  return { id, name: `rule ${id}`, severity: 'high', text: '', rule: r };
}
