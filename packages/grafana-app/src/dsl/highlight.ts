import { KEYWORDS, lex, type Token } from '@betrace/dsl';

export type TokenClass = 'keyword' | 'label' | 'name' | 'function' | 'string' | 'number' | 'duration' | 'operator' | 'punctuation' | 'comment';

/** A highlighted stretch of rule text, in UTF-16 offsets as CodeMirror counts. */
export interface HighlightSpan {
  from: number;
  to: number;
  cls: TokenClass;
}

/**
 * Highlighting from the dsl package's own lexer, so the editor colours exactly what the server
 * parses. The lexer skips comments; they are found in the gaps between tokens.
 */
export function highlightRule(text: string): HighlightSpan[] {
  const { tokens } = lex(text);
  const out: HighlightSpan[] = [];
  let last = 0;
  tokens.forEach((token, i) => {
    if (token.kind === 'eof') {
      return;
    }
    commentsIn(text, last, token.start, out);
    last = token.end;
    const cls = classify(token, tokens[i - 1], tokens[i + 1]);
    if (cls !== undefined) {
      out.push({ from: token.start, to: token.end, cls });
    }
  });
  commentsIn(text, last, text.length, out);
  return out;
}

function classify(token: Token, prev: Token | undefined, next: Token | undefined): TokenClass | undefined {
  switch (token.kind) {
    case 'ident':
      if (prev?.kind !== '.' && next?.kind === ':') {
        return 'label';
      }
      if (KEYWORDS.has(token.value) && prev?.kind !== '.') {
        return 'keyword';
      }
      if (token.value === 'where' || (next?.kind === '(' && prev?.kind === '.')) {
        return 'function';
      }
      return 'name';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'duration':
      return 'duration';
    case 'op':
    case '*':
      return 'operator';
    case '(':
    case ')':
    case '{':
    case '}':
    case '[':
    case ']':
    case ',':
    case '.':
    case ':':
      return 'punctuation';
    case 'eof':
      return undefined;
  }
  const unreachable: never = token.kind;
  return unreachable;
}

function commentsIn(text: string, from: number, to: number, out: HighlightSpan[]): void {
  let i = from;
  while (i < to) {
    if (text.startsWith('//', i)) {
      const nl = text.indexOf('\n', i);
      const end = nl < 0 || nl > to ? to : nl;
      out.push({ from: i, to: end, cls: 'comment' });
      i = end;
    } else if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 || close + 2 > to ? to : close + 2;
      out.push({ from: i, to: end, cls: 'comment' });
      i = end;
    } else {
      i++;
    }
  }
}
