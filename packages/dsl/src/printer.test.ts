import { describe, expect, it } from 'vitest';
import type { Rule } from './ast.ts';
import { parseRule } from './parse/parse-rule.ts';
import { printCondition, printPredicate, printRule, quote } from './printer.ts';

const rule = (text: string): Rule => {
  const r = parseRule(text);
  if (!r.rule) throw new Error(JSON.stringify(r.diagnostics));
  return r.rule;
};

describe('printRule', () => {
  it.each([
    ['never{a}when{b}', 'when { b }\nnever { a }'],
    ['always { (a and b) or (c and d) }', 'always { a and b or c and d }'],
    ['always { a and (b or c) }', 'always { a and (b or c) }'],
    ['always { not (a) }', 'always { not a }'],
    ['always { a.where(x == "y") }', 'always { a.where(x == "y") }'],
    ['always { a.where(span.kind == "server") }', 'always { a.where(span.kind == server) }'],
    ['always { a.where(span.kind == "not a word") }', 'always { a.where(span.kind == "not a word") }'],
    ['always { a.where(span.status == "in") }', 'always { a.where(span.status == "in") }'],
    ['always { a.b == 1 }', 'always { a.where(b == 1) }'],
  ])('%j', (text, want) => {
    expect(printRule(rule(text))).toBe(want);
  });

  it('quotes names and keys that the label would capture', () => {
    expect(printRule(rule('when { p: "p" } always { x.where("p.y" == 1 and y == p.y) }')))
      .toBe('when { p: "p" }\nalways { x.where("p.y" == 1 and y == p.y) }');
  });
});

describe('printCondition and printPredicate', () => {
  it('print one block and one filter (violation reasons use them)', () => {
    const r = rule('when { p: a } always { b.where(x > 1 and y == p.y) before p within 2s }');
    expect(printCondition(r.always!.condition, 'p')).toBe('b.where(x > 1 and y == p.y) before p within 2s');
    const cond = r.always!.condition;
    if (cond.kind !== 'relation') throw new Error(cond.kind);
    expect(printPredicate(cond.left.wheres[0]!, 'p')).toBe('x > 1 and y == p.y');
  });
});

describe('quote', () => {
  it.each([
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\n\t\r', '"\\n\\t\\r"'],
    ['\u0000\u001f\u007f', '"\\u{0}\\u{1f}\\u{7f}"'],
    ['😀 µ', '"😀 µ"'],
  ])('%j', (s, want) => {
    expect(quote(s)).toBe(want);
  });
});
