import type {
  Aggregate, AggregateFn, Condition, CompareOp, DurationLiteral, Pattern, Relation, TraceField,
} from '../ast.ts';
import { type Cursor, describe, span } from './cursor.ts';
import { type ParsedPattern, parsePattern } from './parse-pattern.ts';
import { atTestStart, parseValueTest, testPredicate } from './parse-predicate.ts';
import { parseField } from './parse-value.ts';
import { closest } from '../suggest.ts';

const AGGREGATES: ReadonlySet<string> = new Set(['count', 'sum', 'avg', 'min', 'max']);
export const TRACE_FIELDS: readonly TraceField[] = [
  'duration', 'span_count', 'service_count', 'error_count', 'root_name', 'root_service',
];
const RELATION_WORDS: Readonly<Record<string, Relation>> = {
  before: 'before', after: 'after', parent: 'parent_of', child: 'child_of', ancestor: 'ancestor_of', descendant: 'descendant_of',
};

// condition := or
export function parseCondition(c: Cursor): Condition {
  return c.nested(c.peek(), () => parseOr(c));
}

// or := and { "or" and }
function parseOr(c: Cursor): Condition {
  const start = c.peek().start;
  let left = parseAnd(c);
  while (c.eatWord('or')) {
    const right = parseAnd(c);
    c.node(left.range);
    left = { kind: 'or', left, right, range: span(c, start) };
  }
  return left;
}

// and := not { "and" not }
function parseAnd(c: Cursor): Condition {
  const start = c.peek().start;
  let left = parseNot(c);
  while (c.eatWord('and')) {
    const right = parseNot(c);
    c.node(left.range);
    left = { kind: 'and', left, right, range: span(c, start) };
  }
  return left;
}

// not := "not" not | "(" condition ")" | atom
function parseNot(c: Cursor): Condition {
  const start = c.peek().start;
  if (c.eatWord('not')) {
    c.node(c.peek());
    const operand = c.nested(c.peek(), () => parseNot(c));
    return { kind: 'not', operand, range: span(c, start) };
  }
  if (c.eat('(')) {
    const inner = parseCondition(c);
    c.expect(')', '")" to close the parenthesis');
    return inner;
  }
  return parseAtom(c);
}

// atom := pattern | aggregate op (number | duration | aggregate) | "trace." trace_field op value
//       | pattern relation pattern [ "within" duration ]
function parseAtom(c: Cursor): Condition {
  const start = c.peek().start;
  c.node(c.peek());
  if (c.is('ident') && AGGREGATES.has(c.peek().value) && c.is('(', 1)) return parseAggregateAtom(c);
  if (c.isWord('trace') && c.is('.', 1) && c.is('ident', 2)) {
    const field = TRACE_FIELDS.find((f) => f === c.peek(2).value);
    if (field !== undefined) return parseTraceAtom(c, field);
  }
  const left = parsePattern(c);
  const word = c.peek().kind === 'ident' && Object.hasOwn(RELATION_WORDS, c.peek().value) ? RELATION_WORDS[c.peek().value] : undefined;
  if (word !== undefined) return parseRelation(c, left.pattern, word, start);
  if (atTestStart(c)) return compatForm(c, left, start);
  return { kind: 'exists', pattern: left.pattern, range: span(c, start) };
}

// "trace." trace_field (op value | "in" "[" value { "," value } "]")
function parseTraceAtom(c: Cursor, field: TraceField): Condition {
  const traceTok = c.next();
  c.next();
  const fieldTok = c.next();
  const fieldRange = { start: traceTok.start, end: fieldTok.end };
  if (c.is('.')) {
    c.fail('unexpected_token', `trace.${field} is a field of the trace, so it cannot continue with "."`, { start: traceTok.start, end: c.peek(1).end },
      `a span whose name starts with "trace.${field}" is written in quotes: "trace.${field}${c.is('ident', 1) ? '.' + c.peek(1).value : ''}"`);
  }
  if (!atTestStart(c)) {
    c.fail('unexpected_token', `expected a comparison after trace.${field}, found ${describe(c.peek())}`, c.peek(),
      `compare it, e.g. trace.${field} ${field === 'duration' ? '> 5s' : field.endsWith('count') ? '> 10' : '== "GET /"'}; a span named "trace.${field}" is written in quotes`);
  }
  const test = parseValueTest(c);
  return { kind: 'trace', field, fieldRange, test, range: span(c, traceTok.start) };
}

// relation := "before" | "after" | ("parent" | "child" | "ancestor" | "descendant") "of"
function parseRelation(c: Cursor, left: Pattern, relation: Relation, start: number): Condition {
  const word = c.next();
  if (relation !== 'before' && relation !== 'after') c.expectWord('of', `write "${word.value} of"`);
  const right = parsePattern(c).pattern;
  if (!c.eatWord('within')) return { kind: 'relation', left, relation, right, range: span(c, start) };
  const d = c.peek();
  if (d.kind !== 'duration') {
    c.fail(d.kind === 'number' ? 'duration_needs_unit' : 'unexpected_token', `expected a duration after within, found ${describe(d)}`, d,
      'give a unit, e.g. within 5s or within 250ms');
  }
  c.next();
  const within: DurationLiteral = { kind: 'duration', nanos: d.num, text: d.text, range: { start: d.start, end: d.end } };
  return { kind: 'relation', left, relation, right, within, range: span(c, start) };
}

/** `payment.amount > 1000` is read as `payment.where(amount > 1000)`. */
function compatForm(c: Cursor, left: ParsedPattern, start: number): Condition {
  const seg = left.segments;
  if (seg === undefined || seg.names.length < 2 || left.pattern.label || left.pattern.wheres.length > 0) {
    return c.fail('unexpected_token', `a span pattern cannot be compared with ${describe(c.peek())}`, c.peek(),
      'compare an attribute inside .where(…), e.g. payment.where(amount > 1000)');
  }
  const key = seg.names[seg.names.length - 1] as string;
  if (seg.names.length === 2 && seg.names[0] === 'trace') {
    const guess = closest(key, TRACE_FIELDS);
    c.fail('unknown_intrinsic', `"trace.${key}" is not a trace field; trace fields are ${TRACE_FIELDS.join(', ')}`, left.pattern.range,
      `${guess ? `did you mean trace.${guess}? ` : ''}To test an attribute of spans named "trace", write "trace".where(${key} …)`);
  }
  const nameEnd = seg.lastDot;
  const test = parseValueTest(c);
  const field = { kind: 'attr' as const, scope: 'any' as const, key, range: { start: seg.lastStart, end: seg.lastStart + key.length } };
  const pattern: Pattern = {
    kind: 'pattern',
    selector: { kind: 'name', name: seg.names.slice(0, -1).join('.'), range: { start, end: nameEnd } },
    wheres: [testPredicate(field, test, seg.lastStart, c)],
    range: span(c, start),
  };
  return { kind: 'exists', pattern, range: span(c, start) };
}

// aggregate := "count(" pattern ")" | ("sum" | "avg" | "min" | "max") "(" pattern "," field ")"
function parseAggregate(c: Cursor): Aggregate {
  const start = c.peek().start;
  const fn = c.next().value as AggregateFn;
  c.node(c.peek());
  c.expect('(', `"(" after ${fn}`);
  const pattern = parsePattern(c).pattern;
  if (fn === 'count') {
    c.expect(')', '")" to close count(', c.is(',') ? 'count takes only a pattern: count(http.retry)' : undefined);
    return { kind: 'aggregate_fn', fn, pattern, range: span(c, start) };
  }
  c.expect(',', `"," and the field to ${fn}`, `write ${fn}(pattern, field), e.g. ${fn}(llm.call, gen_ai.usage.total_tokens)`);
  const field = parseField(c);
  c.expect(')', `")" to close ${fn}(`);
  return { kind: 'aggregate_fn', fn, pattern, field, range: span(c, start) };
}

function parseAggregateAtom(c: Cursor): Condition {
  const start = c.peek().start;
  const left = parseAggregate(c);
  const opTok = c.peek();
  if (opTok.kind !== 'op') {
    return c.fail('unexpected_token', `expected a comparison (==, !=, <, <=, >, >=) after ${left.fn}(…), found ${describe(opTok)}`, opTok,
      `e.g. ${left.fn}(…) > 3`);
  }
  c.next();
  const op = opTok.value as CompareOp;
  const r = c.peek();
  if (r.kind === 'ident' && AGGREGATES.has(r.value) && c.is('(', 1)) {
    const right = parseAggregate(c);
    return { kind: 'aggregate', left, op, right, range: span(c, start) };
  }
  if (r.kind === 'number' || r.kind === 'duration') {
    c.next();
    c.node(r);
    const range = { start: r.start, end: r.end };
    const right = r.kind === 'number'
      ? { kind: 'number' as const, value: r.num, text: r.text, range }
      : { kind: 'duration' as const, nanos: r.num, text: r.text, range };
    return { kind: 'aggregate', left, op, right, range: span(c, start) };
  }
  return c.fail('bad_value', `expected a number, a duration or another aggregate after ${left.fn}(…) ${op}, found ${describe(r)}`, r);
}
