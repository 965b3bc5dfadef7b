import { describe, expect, it } from 'vitest';
import { analyzeRule } from '../analyze.ts';
import { DEFAULT_LIMITS } from '../limits.ts';
import { parseRule } from '../parse/parse-rule.ts';
import { checkRule } from './check-rule.ts';

const check = (text: string) => {
  const r = parseRule(text);
  if (!r.rule) throw new Error(JSON.stringify(r.diagnostics));
  return checkRule(r.rule);
};
const codes = (text: string) => check(text).map((d) => d.code);

describe('checkRule', () => {
  it('reports every problem of every block, sorted by position', () => {
    const text = 'never { c.where(span.kind == sever) } when { p: a or b } always { q: d.where(x > 5s) }';
    const ds = check(text);
    expect(ds.map((d) => [d.code, text.slice(d.range.start, d.range.end)])).toEqual([
      ['unknown_enum_value', 'sever'],
      ['label_under_negation', 'p'],
      ['label_outside_when', 'q'],
      ['duration_against_attribute', '5s'],
    ]);
  });

  it('gives the hints the language definition promises', () => {
    expect(check('when { a }')[0]?.hint).toBe('add `always { … }` or `never { … }`');
    expect(check('always { a.where(span.kind == sever) }')[0]?.hint).toBe('did you mean server?');
  });

  it('accepts enumerations in any case', () => {
    expect(codes('always { a.where(span.kind == SERVER and span.status in [Error, OK, "unset"]) }')).toEqual([]);
  });

  it('resolves a label declared after its use', () => {
    expect(codes('always { x.where(y == p.y) before p } when { p: y }')).toEqual([]);
  });

  it('is an info, not an error, for the compatibility form', () => {
    const r = analyzeRule('always { payment.amount > 1000 }');
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['compat_form', 'info']]);
  });

  it('treats a string holding a number as a number for ordering', () => {
    expect(codes('always { a.where(x > "1.5e3" and y < "-2") }')).toEqual([]);
    expect(codes('always { a.where(x > "1.5.3") }')).toEqual(['ordering_needs_number']);
  });

  it('places an invalid regex at the offending part of a raw string', () => {
    const text = 'always { a.where(x matches `ab(c`) }';
    const [d] = check(text);
    expect(d?.code).toBe('invalid_regex');
    expect(d!.range.start).toBeGreaterThanOrEqual(text.indexOf('`'));
    expect(d!.range.end).toBeLessThanOrEqual(text.lastIndexOf('`') + 1);
    expect(d?.message).toContain('missing closing )');
  });

  it('measures the regex limit in UTF-8 bytes', () => {
    const r = parseRule('always { a.where(x matches "ééé") }');
    const limits = { ...DEFAULT_LIMITS, maxRegexBytes: 5 };
    expect(checkRule(r.rule!, limits).map((d) => d.code)).toEqual(['regex_too_long']);
    expect(checkRule(r.rule!, { ...limits, maxRegexBytes: 6 })).toEqual([]);
  });
});
