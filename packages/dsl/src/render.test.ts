import { describe, expect, it } from 'vitest';
import { analyzeRule } from './analyze.ts';
import { type Diagnostic, lineColumn, toByteRange } from './diagnostic.ts';
import { renderDiagnostic } from './render.ts';

const first = (text: string): Diagnostic => {
  const d = analyzeRule(text).diagnostics[0];
  if (!d) throw new Error(`no diagnostic for ${text}`);
  return d;
};

describe('renderDiagnostic', () => {
  it('puts the caret under the range, with the hint', () => {
    const text = 'alway { auth.check }';
    expect(renderDiagnostic(text, first(text))).toBe([
      'error[unknown_block]: unknown block "alway"; a rule is made of when, always and never blocks',
      ' --> <rule>:1:1',
      '  |',
      '1 | alway { auth.check }',
      '  | ^^^^^',
      '  = hint: did you mean "always"?',
    ].join('\n'));
  });

  it('points into a later line', () => {
    const text = 'when { a }\nalways { b.where(x > 5s) }';
    const out = renderDiagnostic(text, first(text)).split('\n');
    expect(out[1]).toBe(' --> <rule>:2:22');
    expect(out[3]).toBe('2 | always { b.where(x > 5s) }');
    expect(out[4]).toBe('  |                      ^^');
  });

  it('places the rule inside a file: file, line, column of the first line, indent of the others', () => {
    const text = 'when { a }\nalways { b.where(x > 5s) }';
    const d = first(text);
    const out = renderDiagnostic(text, d, { file: 'rules.yaml', line: 12, column: 16, indent: 6 }).split('\n');
    expect(out[1]).toBe('  --> rules.yaml:13:28');
    expect(out[3]).toBe('13 |       always { b.where(x > 5s) }');
    expect(out[4]).toBe('   |                            ^^');
    const one = 'always { a.where(x > 5s) }';
    const out1 = renderDiagnostic(one, first(one), { file: 'r.yaml', line: 3, column: 16 }).split('\n');
    expect(out1[1]).toBe(' --> r.yaml:3:37');
    expect(out1[3]).toBe(`3 | ${' '.repeat(15)}always { a.where(x > 5s) }`);
    expect(out1[4]?.indexOf('^')).toBe(out1[3]?.indexOf('5s'));
  });

  it('counts columns in characters after non-ASCII text', () => {
    const text = 'always { "😀µ".where(x > 5s) }';
    const out = renderDiagnostic(text, first(text)).split('\n');
    expect(out[1]).toBe(' --> <rule>:1:25');
    expect(out[4]).toBe(`  | ${' '.repeat(24)}^^`);
    expect(lineColumn(text, text.indexOf('5s'))).toEqual({ line: 1, column: 25 });
  });

  it('shows one caret at the end of the text', () => {
    const text = 'always { a';
    const out = renderDiagnostic(text, first(text)).split('\n');
    expect(out[1]).toBe(' --> <rule>:1:11');
    expect(out[4]).toBe(`  | ${' '.repeat(10)}^`);
  });

  it('shows a range that spans lines up to the end of its first line', () => {
    const text = '\n// nothing here\n';
    const d = first(text);
    expect(d.code).toBe('empty_rule');
    const out = renderDiagnostic(text, d).split('\n');
    expect(out[1]).toBe(' --> <rule>:1:1');
    expect(out[3]).toBe('1 |');
    expect(out[4]).toBe('  | ^');
  });
});

describe('toByteRange', () => {
  it('converts string offsets to UTF-8 byte offsets', () => {
    const text = 'always { a.where(span.duration > 5µs and x == "é") and b.where(y > 1s) }';
    const d = first(text);
    expect(d.code).toBe('duration_against_attribute');
    expect(text.slice(d.range.start, d.range.end)).toBe('1s');
    const bytes = toByteRange(text, d.range);
    const encoded = new TextEncoder().encode(text);
    expect(new TextDecoder().decode(encoded.slice(bytes.start, bytes.end))).toBe('1s');
    expect(bytes.start - d.range.start).toBe(2); // µ and é take two bytes each
  });

  it('counts a character outside the BMP as four bytes', () => {
    expect(toByteRange('😀x', { start: 2, end: 3 })).toEqual({ start: 4, end: 5 });
  });
});
