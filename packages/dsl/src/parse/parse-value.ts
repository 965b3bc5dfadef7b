import type { AttributeField, Field, Intrinsic, LabelField, Literal, Value } from '../ast.ts';
import { KEYWORDS } from '../token.ts';
import { closest } from '../suggest.ts';
import { type Cursor, describe, span } from './cursor.ts';

export const INTRINSICS: readonly Intrinsic[] = [
  'name', 'duration', 'kind', 'status', 'status_message', 'service', 'id', 'parent_id', 'start', 'end',
];

// field := "span." intrinsic | "resource." key | label "." key | key
export function parseField(c: Cursor): Field {
  const start = c.peek().start;
  const t = c.peek();
  c.node(t);
  if (t.kind === 'string') {
    c.next();
    return { kind: 'attr', scope: 'any', key: t.value, range: span(c, start) };
  }
  if (t.kind !== 'ident') {
    return c.fail('unexpected_token', `expected a field (an attribute key, span.<field> or resource.<key>), found ${describe(t)}`, t);
  }
  if (KEYWORDS.has(t.value)) {
    return c.fail('keyword_as_name', `"${t.value}" is a keyword and cannot start an attribute key`, t, `write the key in quotes: "${t.value}"`);
  }
  c.next();
  if (t.value === 'span' && c.is('.') && (c.is('ident', 1) || c.is('string', 1))) {
    c.next();
    return { kind: 'intrinsic', name: parseIntrinsicName(c, start), range: span(c, start) };
  }
  if (t.value === 'resource' && c.is('.') && (c.is('ident', 1) || c.is('string', 1))) {
    c.next();
    return { kind: 'attr', scope: 'resource', key: parseKeyRest(c), range: span(c, start) };
  }
  if (c.is('.') && c.is('string', 1)) {
    // `p."x-y"`: only a label can be followed by a quoted key
    c.next();
    const key = c.next().value;
    const field: LabelField = {
      kind: 'label_field', label: t.value,
      field: { kind: 'attr', scope: 'any', key, range: span(c, start) }, range: span(c, start),
    };
    c.labelFields.add(field);
    return field;
  }
  let key = t.value;
  while (c.is('.') && c.is('ident', 1)) {
    c.next();
    key += '.' + c.next().value;
  }
  if (c.is('.') && c.is('string', 1) && key.endsWith('.resource') && key.indexOf('.') === key.length - 9) {
    // `p.resource."x-y"`: a quoted resource key of the label's span
    c.next();
    const inner = c.next().value;
    const field: LabelField = {
      kind: 'label_field', label: t.value,
      field: { kind: 'attr', scope: 'resource', key: inner, range: span(c, start) }, range: span(c, start),
    };
    c.labelFields.add(field);
    return field;
  }
  const field: AttributeField = { kind: 'attr', scope: 'any', key, range: span(c, start) };
  c.bareKeys.add(field);
  return field;
}

function parseIntrinsicName(c: Cursor, start: number): Intrinsic {
  const t = c.next();
  const name = t.kind === 'ident' ? INTRINSICS.find((i) => i === t.value) : undefined;
  if (name === undefined || c.is('.')) {
    const guess = closest(t.value, INTRINSICS);
    const more = c.is('.') && c.is('ident', 1) ? `.${c.peek(1).value}` : '';
    return c.fail(
      'unknown_intrinsic',
      `"span.${t.value}${more}" is not a span field; span fields are ${INTRINSICS.join(', ')}`,
      { start, end: c.is('.') ? c.peek(1).end : t.end },
      `${guess && !more ? `did you mean span.${guess}? ` : ''}To read an attribute named "span.${t.value}${more}", write the whole key in quotes`,
    );
  }
  return name;
}

/** The key after `resource.`: a dotted name (any words allowed) or a string. */
function parseKeyRest(c: Cursor): string {
  const first = c.next();
  if (first.kind === 'string') return first.value;
  let key = first.value;
  while (c.is('.') && c.is('ident', 1)) {
    c.next();
    key += '.' + c.next().value;
  }
  return key;
}

// value := STRING | number | duration | "true" | "false" | "null" | identifier | label "." key
export function parseValue(c: Cursor, what = 'a value'): Value {
  const t = c.peek();
  if (t.kind === 'ident' && c.is('.', 1) && !KEYWORDS.has(t.value)) {
    const f = parseField(c);
    if (f.kind === 'label_field') return f;
    // a dotted word on the right-hand side can only be a label's field: `order_id == p.order_id`
    const dot = f.kind === 'attr' ? f.key.indexOf('.') : -1;
    if (f.kind !== 'attr' || f.scope !== 'any' || dot < 0) {
      return c.fail('bad_value', `expected ${what}, found a field of the span itself`, f.range,
        'the right-hand side is a literal or a field of the rule\'s label (p.key); quote text: "…"');
    }
    c.bareKeys.delete(f);
    const rest = f.key.slice(dot + 1);
    const inner = toLabelInner(c, rest, f.range);
    const lf: LabelField = { kind: 'label_field', label: f.key.slice(0, dot), field: inner, range: f.range };
    c.labelFields.add(lf);
    return lf;
  }
  return parseLiteral(c, what);
}

/** `rest` after `p.`: `span.<intrinsic>`, `resource.<key>` or an attribute key. */
export function toLabelInner(c: Cursor, rest: string, range: { start: number; end: number }): LabelField['field'] {
  if (rest.startsWith('span.')) {
    const name = INTRINSICS.find((i) => i === rest.slice(5));
    if (name === undefined) {
      const guess = closest(rest.slice(5), INTRINSICS);
      return c.fail('unknown_intrinsic', `"${rest}" is not a span field; span fields are ${INTRINSICS.join(', ')}`, range,
        guess ? `did you mean span.${guess}?` : undefined);
    }
    return { kind: 'intrinsic', name, range };
  }
  if (rest.startsWith('resource.')) return { kind: 'attr', scope: 'resource', key: rest.slice(9), range };
  return { kind: 'attr', scope: 'any', key: rest, range };
}

export function parseLiteral(c: Cursor, what = 'a value'): Literal {
  const t = c.next();
  c.node(t);
  const range = { start: t.start, end: t.end };
  switch (t.kind) {
    case 'string':
      return { kind: 'string', value: t.value, range };
    case 'number':
      return { kind: 'number', value: t.num, text: t.text, range };
    case 'duration':
      return { kind: 'duration', nanos: t.num, text: t.text, range };
    case 'ident':
      if (t.value === 'true' || t.value === 'false') return { kind: 'bool', value: t.value === 'true', range };
      if (t.value === 'null') return { kind: 'null', range };
      if (KEYWORDS.has(t.value)) {
        return c.fail('keyword_as_name', `"${t.value}" is a keyword, not a value`, t, `write it in quotes: "${t.value}"`);
      }
      return { kind: 'string', value: t.value, range };
    default:
      return c.fail('bad_value', `expected ${what}, found ${describe(t)}`, t, 'values are strings ("…"), numbers, durations (250ms), true, false, null or bare words');
  }
}
