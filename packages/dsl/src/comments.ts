import { lex } from './lexer.ts';

/**
 * True when rule text holds a comment (`//` or `/* … *\/`) outside string literals. The canonical
 * printer does not keep comments, so a formatter must not rewrite such text.
 */
export function hasComments(text: string): boolean {
  const { tokens } = lex(text);
  let last = 0;
  for (const t of tokens) {
    if (text.slice(last, t.start).trim() !== '') return true;
    last = t.end;
  }
  return text.slice(last).trim() !== '';
}
