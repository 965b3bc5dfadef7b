import { highlightRule, type TokenClass } from './highlight';

function classes(text: string): Array<[string, TokenClass]> {
  return highlightRule(text).map((s) => [text.slice(s.from, s.to), s.cls]);
}

describe('highlightRule', () => {
  test('keywords, labels, names, numbers and operators from the dsl lexer', () => {
    expect(classes('when { p: payment.charge.where(amount > 1000) } always { fraud.check before p }')).toEqual([
      ['when', 'keyword'], ['{', 'punctuation'], ['p', 'label'], [':', 'punctuation'], ['payment', 'name'], ['.', 'punctuation'],
      ['charge', 'name'], ['.', 'punctuation'], ['where', 'function'], ['(', 'punctuation'], ['amount', 'name'], ['>', 'operator'],
      ['1000', 'number'], [')', 'punctuation'], ['}', 'punctuation'], ['always', 'keyword'], ['{', 'punctuation'], ['fraud', 'name'],
      ['.', 'punctuation'], ['check', 'name'], ['before', 'keyword'], ['p', 'name'], ['}', 'punctuation'],
    ]);
  });

  test('strings, durations and comments (which the lexer skips) are coloured', () => {
    const text = '// why\nnever { "GET /x".where(span.duration > 5s) } /* done */';
    const got = classes(text);
    expect(got).toContainEqual(['// why', 'comment']);
    expect(got).toContainEqual(['"GET /x"', 'string']);
    expect(got).toContainEqual(['5s', 'duration']);
    expect(got).toContainEqual(['/* done */', 'comment']);
  });

  test('a keyword after a dot is an attribute segment, not a keyword', () => {
    expect(classes('never { a.where(x.count > 1) }')).toContainEqual(['count', 'name']);
  });

  test('offsets are UTF-16, as CodeMirror counts', () => {
    const text = 'never { a.where(x == "😀") and b }';
    const b = highlightRule(text).find((s) => text.slice(s.from, s.to) === 'b');
    expect(b?.from).toBe(text.lastIndexOf('b'));
  });
});
