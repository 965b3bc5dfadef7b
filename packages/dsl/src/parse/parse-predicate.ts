import type { BinaryOp, Field, Literal, Predicate, ValueTest } from '../ast.ts';
import { type Cursor, describe, span } from './cursor.ts';
import { parseField, parseLiteral, parseValue } from './parse-value.ts';

// predicate := por
export function parsePredicate(c: Cursor): Predicate {
  return c.nested(c.peek(), () => parsePOr(c));
}

// por := pand { "or" pand }
function parsePOr(c: Cursor): Predicate {
  const start = c.peek().start;
  let left = parsePAnd(c);
  while (c.eatWord('or')) {
    const right = parsePAnd(c);
    c.node(left.range);
    left = { kind: 'por', left, right, range: span(c, start) };
  }
  return left;
}

// pand := pnot { "and" pnot }
function parsePAnd(c: Cursor): Predicate {
  const start = c.peek().start;
  let left = parsePNot(c);
  while (c.eatWord('and')) {
    const right = parsePNot(c);
    c.node(left.range);
    left = { kind: 'pand', left, right, range: span(c, start) };
  }
  return left;
}

// pnot := "not" pnot | "(" predicate ")" | comparison | field
function parsePNot(c: Cursor): Predicate {
  const start = c.peek().start;
  if (c.isWord('not')) {
    c.next();
    c.node(c.peek());
    const operand = c.nested(c.peek(), () => parsePNot(c));
    return { kind: 'pnot', operand, range: span(c, start) };
  }
  if (c.eat('(')) {
    const inner = parsePredicate(c);
    c.expect(')', '")" to close the parenthesis');
    return inner;
  }
  const field = parseField(c);
  if (atTestStart(c)) {
    const test = parseValueTest(c);
    return { kind: 'test', field, test, range: span(c, start) };
  }
  if (c.is(')') || c.isWord('and') || c.isWord('or')) {
    return { kind: 'truthy', field, range: span(c, start) };
  }
  return c.fail('unexpected_token', `expected a comparison (==, !=, <, <=, >, >=, in, matches, contains), "and", "or" or ")", found ${describe(c.peek())}`, c.peek(),
    c.peek().kind === 'ident' || c.peek().kind === 'string' ? 'keys with spaces or other characters go in quotes: "my key"' : undefined);
}

/** True when the next token starts `op value` or `in [...]`. */
export function atTestStart(c: Cursor): boolean {
  return c.is('op') || c.isWord('in') || c.isWord('matches') || c.isWord('contains');
}

// test := op value | "in" "[" value { "," value } "]"
export function parseValueTest(c: Cursor): ValueTest {
  const start = c.peek().start;
  c.node(c.peek());
  if (c.eatWord('in')) {
    c.expect('[', '"[" to start the list of values', 'write in ["a", "b"]');
    const values: Literal[] = [];
    if (c.is(']')) {
      c.fail('bad_value', 'the list is empty, so nothing can be in it', { start, end: c.peek().end }, 'give at least one value: in ["a", "b"]');
    }
    do {
      if (values.length >= c.limits.maxListItems) {
        c.fail('list_too_long', `list has more than ${c.limits.maxListItems} items`, c.peek(), 'use matches with a regular expression, or split the rule');
      }
      values.push(parseLiteral(c, 'a list item'));
    } while (c.eat(','));
    c.expect(']', '"," or "]" in the list');
    return { kind: 'in', values, range: span(c, start) };
  }
  const op = c.next().value as BinaryOp;
  const value = parseValue(c);
  return { kind: 'op', op, value, range: span(c, start) };
}

/** For the compatibility form, which builds a test for a field the caller already read. */
export function testPredicate(field: Field, test: ValueTest, start: number, c: Cursor): Predicate {
  return { kind: 'test', field, test, compat: true, range: span(c, start) };
}
