import type { Aggregate, Field, Literal, Range, Rule, StringLiteral, TraceField, ValueTest } from '../ast.ts';
import type { Diagnostic, DiagnosticCode } from '../diagnostic.ts';
import type { Limits } from '../limits.ts';
import { utf8Length } from '../limits.ts';
import { compileRegex } from '../regex.ts';
import { closest } from '../suggest.ts';
import { walkRule } from '../walk.ts';

/** What a field holds, as far as the checker can tell before seeing a trace. */
type FieldType = 'attr' | 'duration' | 'number' | 'string' | 'enum';

export const SPAN_KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
export const SPAN_STATUSES = ['unset', 'ok', 'error'] as const;

const TRACE_FIELD_TYPES: Readonly<Record<TraceField, FieldType>> = {
  duration: 'duration', span_count: 'number', service_count: 'number', error_count: 'number', root_name: 'string', root_service: 'string',
};

/** Type rules (spec section 4): typed comparisons, durations, enumerations, regexes, aggregates. */
export function checkTypes(rule: Rule, limits: Limits, out: Diagnostic[]): void {
  const err = (code: DiagnosticCode, range: Range, message: string, hint?: string): void => {
    out.push(hint === undefined ? { code, severity: 'error', range, message } : { code, severity: 'error', range, message, hint });
  };
  walkRule(rule, {
    condition(c) {
      if (c.kind === 'trace') checkTest(c.test, TRACE_FIELD_TYPES[c.field], `trace.${c.field}`, undefined, limits, err);
      if (c.kind === 'relation' && c.within) {
        if (c.relation !== 'before' && c.relation !== 'after') {
          err('within_needs_order', c.within.range, `within applies to before and after, not to "${c.relation.replace('_', ' ')}"`, 'remove within, or relate the spans in time with before/after');
        } else if (c.within.nanos < 0) {
          err('bad_value', c.within.range, 'within needs a duration of zero or more');
        }
      }
      if (c.kind === 'aggregate') checkAggregate(c.left, c.op, c.right, err);
    },
    predicate(p) {
      if (p.kind === 'test') checkTest(p.test, fieldType(p.field), describeField(p.field), p.field, limits, err);
      if (p.kind === 'test' && p.compat) {
        out.push({
          code: 'compat_form', severity: 'info', range: p.range,
          message: 'compatibility form: the last name segment is read as an attribute of the span',
          hint: 'write name.where(attribute op value); betrace fmt rewrites it',
        });
      }
    },
  });
}

type Report = (code: DiagnosticCode, range: Range, message: string, hint?: string) => void;

function checkTest(t: ValueTest, type: FieldType, what: string, field: Field | undefined, limits: Limits, err: Report): void {
  if (t.kind === 'in') {
    for (const v of t.values) {
      if (v.kind === 'null') err('null_comparison', v.range, 'null cannot be in a list', `test for a missing value with ${what} == null`);
      else if (v.kind === 'duration' || type === 'duration') err('type_mismatch', v.range, `a list of values cannot hold durations or be compared with ${what}`, 'compare durations with <, <=, > or >=');
      else checkEnumValue(v, type, field, err);
    }
    return;
  }
  const { op, value: v } = t;
  const ordering = op === '<' || op === '<=' || op === '>' || op === '>=';
  if (ordering && (type === 'string' || type === 'enum')) {
    err('ordering_needs_number', t.range, `${what} is text; ${op} compares numbers and durations only`, 'use ==, !=, in, matches or contains');
    return;
  }
  if (v.kind === 'label_field') {
    if (op === 'matches') err('type_mismatch', v.range, 'matches needs a regular expression literal', 'write the pattern as a string: matches `^GET /`');
    return;
  }
  if (v.kind === 'null') {
    if (op !== '==' && op !== '!=') err('null_comparison', v.range, `null can only be compared with == or !=, not ${op}`, `${what} == null is true when it is missing`);
    return;
  }
  if (op === 'matches') {
    if (v.kind !== 'string') err('type_mismatch', v.range, 'matches needs a regular expression string', 'write the pattern as a string: matches `^5\\d\\d$`');
    else checkRegex(v, limits, err);
    return;
  }
  if (v.kind === 'duration') {
    if (type === 'attr') err('duration_against_attribute', v.range, `${what} is an attribute; a duration literal compares only with span.duration, trace.duration and aggregates of durations`, 'compare the attribute with a plain number in its own unit');
    else if (type !== 'duration') err('type_mismatch', v.range, `${what} is not a duration`);
    return;
  }
  if (type === 'duration') {
    err(v.kind === 'number' || isNumeric(v) ? 'duration_needs_unit' : 'type_mismatch', v.range, `${what} is a duration; compare it with a duration literal`, 'give a unit: 250ms, 1.5s, 2m');
    return;
  }
  if (ordering && !(v.kind === 'number' || isNumeric(v))) {
    err('ordering_needs_number', v.range, `${op} needs a number, found ${v.kind === 'string' ? `the text "${v.value}"` : String(v.value)}`, 'ordering is numeric only; use == or matches for text');
    return;
  }
  if (op === '==' || op === '!=') checkEnumValue(v, type, field, err);
}

function checkEnumValue(v: Literal, type: FieldType, field: Field | undefined, err: Report): void {
  if (type !== 'enum' || field === undefined) return;
  const inner = field.kind === 'label_field' ? field.field : field;
  const members: readonly string[] = inner.kind === 'intrinsic' && inner.name === 'kind' ? SPAN_KINDS : SPAN_STATUSES;
  if (v.kind === 'string' && members.includes(v.value.toLowerCase())) return;
  const text = v.kind === 'string' ? v.value : v.kind === 'number' || v.kind === 'duration' ? v.text : v.kind === 'bool' ? String(v.value) : 'null';
  const guess = closest(text, members);
  err('unknown_enum_value', v.range, `"${text}" is not a span ${inner.kind === 'intrinsic' ? inner.name : 'value'}; expected one of ${members.join(', ')}`,
    guess ? `did you mean ${guess}?` : undefined);
}

function checkRegex(v: StringLiteral, limits: Limits, err: Report): void {
  const bytes = utf8Length(v.value);
  if (bytes > limits.maxRegexBytes) {
    err('regex_too_long', v.range, `regular expression is ${bytes} bytes; the limit is ${limits.maxRegexBytes}`);
    return;
  }
  const r = compileRegex(v.value);
  if (r.ok) return;
  const at = r.offset === undefined ? v.range : { start: Math.min(v.range.start + 1 + r.offset, v.range.end - 1), end: Math.min(v.range.start + 2 + r.offset, v.range.end) };
  err('invalid_regex', at, `invalid regular expression: ${r.message.replace(/^error parsing regexp: /, '')}`,
    'matching uses RE2 syntax (no backreferences or lookaround); write regexes as raw strings: `\\d+`');
}

function checkAggregate(left: Aggregate, op: string, right: Aggregate | Literal, err: Report): void {
  const lt = aggregateType(left, err);
  if (right.kind === 'aggregate_fn') {
    const rt = aggregateType(right, err);
    if (lt && rt && (lt === 'duration') !== (rt === 'duration')) {
      err('type_mismatch', right.range, `cannot compare a ${lt === 'duration' ? 'duration' : 'number'} with a ${rt === 'duration' ? 'duration' : 'number'}`);
    }
    return;
  }
  if (lt === undefined) return;
  if (right.kind === 'duration' && lt !== 'duration') {
    if (lt === 'attr') err('duration_against_attribute', right.range, `${left.fn}(…) of an attribute is a plain number; a duration literal does not compare with it`, 'compare with a number in the attribute\'s own unit');
    else err('type_mismatch', right.range, `${left.fn}(…) is a number, not a duration`, `compare it with a number: ${left.fn}(…) ${op} 3`);
  } else if (right.kind === 'number' && lt === 'duration') {
    err('duration_needs_unit', right.range, `${left.fn}(…, span.duration) is a duration; compare it with a duration literal`, 'give a unit: 250ms, 1.5s');
  }
}

function aggregateType(a: Aggregate, err: Report): FieldType | undefined {
  if (a.field === undefined) return 'number';
  if (a.field.kind === 'label_field') {
    err('type_mismatch', a.field.range, `${a.fn} reads a field of each matched span, not of the label`, `write ${a.fn}(pattern, key)`);
    return undefined;
  }
  const t = fieldType(a.field);
  if (t === 'string' || t === 'enum') {
    err('type_mismatch', a.field.range, `${a.fn} needs numbers or durations; ${describeField(a.field)} is text`, 'aggregate a numeric attribute, span.duration, span.start or span.end');
    return undefined;
  }
  return t;
}

function fieldType(f: Field): FieldType {
  const inner = f.kind === 'label_field' ? f.field : f;
  if (inner.kind === 'attr') return 'attr';
  switch (inner.name) {
    case 'duration':
      return 'duration';
    case 'start':
    case 'end':
      return 'number';
    case 'kind':
    case 'status':
      return 'enum';
    default:
      return 'string';
  }
}

function describeField(f: Field): string {
  const inner = f.kind === 'label_field' ? f.field : f;
  const prefix = f.kind === 'label_field' ? `${f.label}.` : '';
  if (inner.kind === 'intrinsic') return `${prefix}span.${inner.name}`;
  return prefix + (inner.scope === 'resource' ? `resource.${inner.key}` : inner.key);
}

const NUMERIC = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

function isNumeric(v: Literal): boolean {
  return v.kind === 'string' && NUMERIC.test(v.value);
}
