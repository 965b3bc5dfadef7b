import { describe, expect, it } from 'vitest';
import type { Condition, Pattern } from '../ast.ts';
import { parseRule } from './parse-rule.ts';

const parse = (text: string) => {
  const r = parseRule(text);
  if (!r.rule) throw new Error(JSON.stringify(r.diagnostics));
  return r.rule;
};
const always = (text: string): Condition => parse(`always { ${text} }`).always!.condition;
const pattern = (text: string): Pattern => {
  const c = always(text);
  if (c.kind !== 'exists') throw new Error(c.kind);
  return c.pattern;
};

describe('parseRule', () => {
  it('gives every node the range of its source text', () => {
    const text = 'when { p: pay.where(amount > 1000) }\nalways { fraud before p within 5s }';
    const r = parse(text);
    const at = (n: { range: { start: number; end: number } }) => text.slice(n.range.start, n.range.end);
    expect(at(r.when!)).toBe('when { p: pay.where(amount > 1000) }');
    const p = r.when!.condition;
    if (p.kind !== 'exists') throw new Error(p.kind);
    expect(at(p.pattern)).toBe('p: pay.where(amount > 1000)');
    expect(at(p.pattern.label!)).toBe('p');
    expect(at(p.pattern.selector)).toBe('pay');
    expect(at(p.pattern.wheres[0]!)).toBe('amount > 1000');
    const rel = r.always!.condition;
    if (rel.kind !== 'relation') throw new Error(rel.kind);
    expect(at(rel)).toBe('fraud before p within 5s');
    expect(at(rel.within!)).toBe('5s');
    expect(rel.right.selector).toMatchObject({ kind: 'label_ref', label: 'p' });
  });

  it('reads trace fields, with the range of "trace.<field>"', () => {
    const text = 'always { trace . duration > 5s }';
    const c = parse(text).always!.condition;
    expect(c).toMatchObject({ kind: 'trace', field: 'duration', test: { kind: 'op', op: '>', value: { kind: 'duration', nanos: 5e9 } } });
    if (c.kind !== 'trace') throw new Error(c.kind);
    expect(text.slice(c.fieldRange.start, c.fieldRange.end)).toBe('trace . duration');
  });

  it('tells trace.duration from a span named "trace.x"', () => {
    expect(always('trace.duration > 1s')).toMatchObject({ kind: 'trace', field: 'duration' });
    expect(pattern('trace.x').selector).toMatchObject({ kind: 'name', name: 'trace.x' });
    expect(pattern('"trace.duration"').selector).toMatchObject({ kind: 'name', name: 'trace.duration' });
  });

  it('reads the compatibility form as a .where on the name without its last segment', () => {
    const p = pattern('payment.charge.amount > 1000');
    expect(p.selector).toMatchObject({ kind: 'name', name: 'payment.charge' });
    expect(p.wheres[0]).toMatchObject({ kind: 'test', compat: true, field: { kind: 'attr', scope: 'any', key: 'amount' } });
  });

  it('resolves the label as a pattern and as field prefix, but not when quoted', () => {
    const r = parse('always { "p" before p.where(x == p.y and p.span.kind == server and "p.z" == 1) } when { p: a }');
    const rel = r.always!.condition;
    if (rel.kind !== 'relation') throw new Error(rel.kind);
    expect(rel.left.selector).toMatchObject({ kind: 'name', name: 'p' });
    expect(rel.right.selector).toMatchObject({ kind: 'label_ref', label: 'p' });
    expect(rel.right.wheres[0]).toMatchObject({
      kind: 'pand',
      left: {
        kind: 'pand',
        left: { test: { value: { kind: 'label_field', label: 'p', field: { kind: 'attr', key: 'y' } } } },
        right: { field: { kind: 'label_field', label: 'p', field: { kind: 'intrinsic', name: 'kind' } } },
      },
      right: { field: { kind: 'attr', key: 'p.z' } },
    });
  });

  it('keeps dotted keys as attributes when no label has their first segment', () => {
    expect(pattern('a.where(p.y == 1)').wheres[0]).toMatchObject({ field: { kind: 'attr', scope: 'any', key: 'p.y' } });
  });

  it('nests and / or / not with the documented precedence', () => {
    expect(always('a or b and not c')).toMatchObject({
      kind: 'or', left: { kind: 'exists' }, right: { kind: 'and', right: { kind: 'not', operand: { kind: 'exists' } } },
    });
    expect(always('a and b and c')).toMatchObject({ kind: 'and', left: { kind: 'and' }, right: { kind: 'exists' } });
  });

  it('reads bare words as strings and keywords true / false / null as literals', () => {
    expect(pattern('a.where(x in [USD, true, null, 1.5, 2s])').wheres[0]).toMatchObject({
      test: { kind: 'in', values: [{ kind: 'string', value: 'USD' }, { kind: 'bool', value: true }, { kind: 'null' }, { kind: 'number', value: 1.5 }, { kind: 'duration', nanos: 2e9 }] },
    });
  });

  it('reports problems from several blocks in one pass', () => {
    const r = parseRule('when { a.where(x > ) }\nalways { b c }\nnever { count(d) }');
    expect(r.rule).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['bad_value', 'unexpected_token', 'unexpected_token']);
  });

  it('says what it expected, what it found, and what to write', () => {
    const [d] = parseRule('always { a.where(span.duraton > 1s) }').diagnostics;
    expect(d?.message).toBe('"span.duraton" is not a span field; span fields are name, duration, kind, status, status_message, service, id, parent_id, start, end');
    expect(d?.hint).toContain('did you mean span.duration?');
    const [e] = parseRule('always { a b }').diagnostics;
    expect(e?.message).toBe('expected "and", "or" or "}", found "b"');
    expect(e?.hint).toContain('"and"');
  });
});
