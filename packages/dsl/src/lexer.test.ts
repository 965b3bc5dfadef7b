import { describe, expect, it } from 'vitest';
import { lex } from './lexer.ts';

const kinds = (text: string) => lex(text).tokens.map((t) => [t.kind, t.value]);

describe('lex', () => {
  it.each([
    ['when { a.b }', [['ident', 'when'], ['{', '{'], ['ident', 'a'], ['.', '.'], ['ident', 'b'], ['}', '}'], ['eof', '']]],
    ['== != < <= > >=', [['op', '=='], ['op', '!='], ['op', '<'], ['op', '<='], ['op', '>'], ['op', '>='], ['eof', '']]],
    ['( ) [ ] , : *', [['(', '('], [')', ')'], ['[', '['], [']', ']'], [',', ','], [':', ':'], ['*', '*'], ['eof', '']]],
    ['// line\n/* block\n */ x', [['ident', 'x'], ['eof', '']]],
    ['"a\\"b\\\\c\\n\\t\\r\\u{41}\\u{1F600}"', [['string', 'a"b\\c\n\t\rA😀'], ['eof', '']]],
    ['`raw \\d "q"`', [['string', 'raw \\d "q"'], ['eof', '']]],
    ['a-1', [['ident', 'a'], ['number', '-1'], ['eof', '']]],
  ])('%j', (text, want) => {
    expect(lex(text).diagnostics).toEqual([]);
    expect(kinds(text)).toEqual(want);
  });

  it.each([
    ['0', 0], ['-7', -7], ['1.5', 1.5], ['1e3', 1000], ['2.5E-3', 0.0025], ['-1.5e+2', -150], ['007', 7],
  ])('number %s', (text, num) => {
    const [t] = lex(text).tokens;
    expect(t).toMatchObject({ kind: 'number', text, num, start: 0, end: text.length });
  });

  it.each([
    ['1ns', 1], ['2us', 2e3], ['2µs', 2e3], ['3ms', 3e6], ['1.5s', 1.5e9], ['2m', 120e9], ['1h', 3600e9], ['-5s', -5e9], ['1e3ms', 1e9],
  ])('duration %s', (text, nanos) => {
    const { tokens, diagnostics } = lex(text);
    expect(diagnostics).toEqual([]);
    expect(tokens[0]).toMatchObject({ kind: 'duration', text, num: nanos, end: text.length });
  });

  it('keeps offsets as string indices after non-ASCII text', () => {
    const text = '"µs é" 5µs x';
    const [s, d, x] = lex(text).tokens;
    expect(s).toMatchObject({ start: 0, end: 6, value: 'µs é' });
    expect(d).toMatchObject({ start: 7, end: 10, num: 5e3 });
    expect(x).toMatchObject({ start: 11, end: 12 });
  });

  it('collects every lexical problem, not only the first', () => {
    expect(lex('a = "\\q" 5parsecs ~').diagnostics.map((d) => d.code))
      .toEqual(['unexpected_character', 'bad_escape', 'bad_duration_unit', 'unexpected_character']);
  });

  it('hints what to write instead', () => {
    const hint = (text: string) => lex(text).diagnostics[0]?.hint;
    expect(hint('a && b')).toContain('"and"');
    expect(hint('a || b')).toContain('"or"');
    expect(hint('a = b')).toContain('==');
    expect(hint("'x'")).toContain('double quotes');
    expect(hint('GET /x')).toContain('quotes');
    expect(hint('5μs')).toContain('micro sign');
    expect(hint('5secs')).toContain('ms, s, m and h');
  });

  it('shows invisible characters by code point', () => {
    expect(lex('\u0007').diagnostics[0]?.message).toBe('unexpected character U+0007');
    expect(lex('\u200b').diagnostics[0]?.message).toBe('unexpected character U+200B');
    expect(lex('é').diagnostics[0]?.message).toBe('unexpected character "é" (U+00E9)');
  });

  it('ends every token and diagnostic inside the text', () => {
    for (const text of ['"abc\\', '"\\', '`x', '/*', '"\\u{', '1.2.', '-', '"a\\\n']) {
      const { tokens, diagnostics } = lex(text);
      for (const r of [...tokens, ...diagnostics.map((d) => d.range)]) expect(r.end).toBeLessThanOrEqual(text.length);
    }
  });
});
