import type { Block, BlockKeyword, Rule } from '../ast.ts';
import type { Diagnostic } from '../diagnostic.ts';
import { lex } from '../lexer.ts';
import { DEFAULT_LIMITS, type Limits, utf8Length } from '../limits.ts';
import { closest } from '../suggest.ts';
import { Cursor, ParseAbort, describe, span } from './cursor.ts';
import { parseCondition } from './parse-condition.ts';
import { resolveLabels } from './resolve-labels.ts';

/** The tree (when the text has no syntax error) and every lexical and syntax diagnostic. */
export interface ParseResult {
  rule: Rule | undefined;
  diagnostics: Diagnostic[];
}

const BLOCKS: readonly BlockKeyword[] = ['when', 'always', 'never'];

/** Parses rule text. Diagnostics come back as values; this never throws on any input. */
export function parseRule(text: string, limits: Limits = DEFAULT_LIMITS): ParseResult {
  const bytes = text.length > limits.maxRuleBytes / 4 ? utf8Length(text) : 0;
  if (bytes > limits.maxRuleBytes) {
    return {
      rule: undefined,
      diagnostics: [{
        code: 'rule_too_long', severity: 'error', range: { start: 0, end: text.length },
        message: `rule text is ${bytes} bytes; the limit is ${limits.maxRuleBytes}`, hint: 'split it into several rules',
      }],
    };
  }
  const lexed = lex(text, limits);
  if (lexed.diagnostics.length > 0) return { rule: undefined, diagnostics: lexed.diagnostics };
  const c = new Cursor(lexed.tokens, limits);
  const rule: Rule = { kind: 'rule', range: { start: 0, end: text.length } };
  while (!c.is('eof')) {
    const block = parseBlock(c);
    if (block === undefined) continue;
    if (rule[block.keyword] !== undefined) {
      c.report('duplicate_block', `a rule has at most one ${block.keyword} block`, { start: block.range.start, end: block.range.start + block.keyword.length },
        `join the two conditions with "and" inside one ${block.keyword} { … }`);
    } else rule[block.keyword] = block;
  }
  if (c.diagnostics.length === 0 && !rule.when && !rule.always && !rule.never) {
    c.report('empty_rule', 'the rule is empty', { start: 0, end: text.length }, 'write always { … } or never { … }, optionally with when { … }');
  }
  if (c.diagnostics.length === 0) resolveLabels(rule, c);
  return { rule: c.diagnostics.length === 0 ? rule : undefined, diagnostics: c.diagnostics };
}

// block := ("when" | "always" | "never") "{" condition "}"
function parseBlock(c: Cursor): Block | undefined {
  const t = c.peek();
  const keyword = BLOCKS.find((b) => t.kind === 'ident' && t.value === b);
  if (keyword === undefined) {
    const guess = t.kind === 'ident' ? closest(t.value, BLOCKS) : undefined;
    c.report(guess ? 'unknown_block' : 'unexpected_token',
      t.kind === 'ident' ? `unknown block "${t.value}"; a rule is made of when, always and never blocks` : `expected when, always or never, found ${describe(t)}`,
      t, guess ? `did you mean "${guess}"?` : 'write when { … }, always { … } or never { … }');
    c.next();
    skipBlock(c);
    return undefined;
  }
  c.next();
  const open = c.pos;
  try {
    c.expect('{', `"{" after ${keyword}`, `write ${keyword} { … }`);
    if (c.is('}')) c.fail('unexpected_token', `the ${keyword} block is empty`, c.peek(), `write a condition inside ${keyword} { … }`);
    const condition = parseCondition(c);
    if (!c.is('}')) {
      c.fail('unexpected_token', `expected "and", "or" or "}", found ${describe(c.peek())}`, c.peek(),
        c.peek().kind === 'ident' || c.peek().kind === 'string' ? 'join conditions with "and" / "or"; names with spaces go in quotes' : undefined);
    }
    c.next();
    return { kind: 'block', keyword, condition, range: span(c, t.start) };
  } catch (e) {
    if (!(e instanceof ParseAbort)) throw e;
    c.pos = open;
    skipBlock(c);
    return undefined;
  }
}

/** Skips to the end of the brace group at or after the cursor, stopping early at the next block keyword. */
function skipBlock(c: Cursor): void {
  while (!c.is('eof') && !c.is('{') && !(c.is('ident') && BLOCKS.some((b) => c.isWord(b)) && c.is('{', 1))) c.next();
  if (!c.is('{')) return;
  let depth = 0;
  while (!c.is('eof')) {
    const t = c.next();
    if (t.kind === '{') depth++;
    else if (t.kind === '}' && --depth === 0) return;
  }
}
