import type { Identifier, NameSelector, Pattern, Predicate, Selector } from '../ast.ts';
import { KEYWORDS } from '../token.ts';
import { type Cursor, describe, span } from './cursor.ts';
import { parsePredicate } from './parse-predicate.ts';

/** A pattern plus how its name was written, which the compatibility form needs. */
export interface ParsedPattern {
  pattern: Pattern;
  /** The segments when the selector was written as a bare dotted name. */
  segments?: { names: string[]; lastStart: number; lastDot: number };
}

// pattern := [ label ":" ] selector { ".where(" predicate ")" }
export function parsePattern(c: Cursor): ParsedPattern {
  const start = c.peek().start;
  let label: Identifier | undefined;
  if (c.is('ident') && c.is(':', 1)) {
    const t = c.next();
    c.next();
    if (KEYWORDS.has(t.value)) c.fail('keyword_as_name', `"${t.value}" is a keyword and cannot be a label`, t, 'pick another label name, e.g. p');
    label = { name: t.value, range: { start: t.start, end: t.end } };
  }
  c.node(c.peek());
  const parsed = parseSelector(c);
  const wheres: Predicate[] = [];
  while (c.is('.') && c.isWord('where', 1) && c.is('(', 2)) {
    c.next();
    c.next();
    c.next();
    wheres.push(parsePredicate(c));
    c.expect(')', '")" to close .where(', 'every .where( needs its closing )');
  }
  if (c.is('.')) {
    const after = c.peek(1);
    c.fail('unexpected_token', `expected .where( after the span name, found "." ${describe(after)}`, after,
      parsed.segments === undefined
        ? 'a quoted name or * is complete on its own; filter spans with .where(…)'
        : after.kind === 'string' ? `write the whole name in one pair of quotes: "${parsed.segments.names.join('.')}.${after.value}"` : 'filter spans with .where(…)');
  }
  const pattern: Pattern = label === undefined
    ? { kind: 'pattern', selector: parsed.selector, wheres, range: span(c, start) }
    : { kind: 'pattern', label, selector: parsed.selector, wheres, range: span(c, start) };
  return parsed.segments ? { pattern, segments: parsed.segments } : { pattern };
}

// selector := dotted_name | STRING | "*"
function parseSelector(c: Cursor): { selector: Selector; segments?: ParsedPattern['segments'] } {
  const t = c.peek();
  if (t.kind === '*') {
    c.next();
    return { selector: { kind: 'any', range: { start: t.start, end: t.end } } };
  }
  if (t.kind === 'string') {
    c.next();
    return { selector: { kind: 'name', name: t.value, range: { start: t.start, end: t.end } } };
  }
  if (t.kind !== 'ident') {
    return c.fail('unexpected_token', `expected a span pattern (a span name, "quoted name" or *), found ${describe(t)}`, t);
  }
  if (KEYWORDS.has(t.value)) {
    return c.fail('keyword_as_name', `"${t.value}" is a keyword and cannot start a span name`, t,
      `if it is a span name, write it in quotes: "${t.value}${c.is('.', 1) ? '…' : ''}"`);
  }
  c.next();
  const names = [t.value];
  let lastStart = t.start;
  let lastDot = t.end;
  // after a dot every word is a name segment, except `.where(`, which starts a filter
  while (c.is('.') && c.is('ident', 1) && !(c.isWord('where', 1) && c.is('(', 2))) {
    lastDot = c.next().start;
    const seg = c.next();
    names.push(seg.value);
    lastStart = seg.start;
  }
  const selector: NameSelector = { kind: 'name', name: names.join('.'), range: span(c, t.start) };
  if (names.length === 1) c.bareSelectors.add(selector);
  return { selector, segments: { names, lastStart, lastDot } };
}
