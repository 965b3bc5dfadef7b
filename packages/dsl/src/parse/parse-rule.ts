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
  while (!c.is('eof') && !c.tooComplex()) {
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
        atBlockStart(c) ? `close the ${keyword} block with "}" before ${c.peek().value}`
          : c.peek().kind === 'ident' || c.peek().kind === 'string' ? 'join conditions with "and" / "or"; names with spaces go in quotes' : undefined);
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

/**
 * Skips the rest of a broken block: to the "}" that closes its brace group, or to the next
 * `when {` / `always {` / `never {` (which cannot occur inside a condition), so that one pass
 * reports the problems of every block.
 */
function skipBlock(c: Cursor): void {
  let depth = 0;
  while (!c.is('eof') && !atBlockStart(c)) {
    const t = c.next();
    if (t.kind === '{') depth++;
    else if (t.kind === '}' && depth > 0 && --depth === 0) return;
  }
}

/** At `when {`, `always {` or `never {` that is not a later segment of a dotted name. */
function atBlockStart(c: Cursor): boolean {
  const prev = c.pos > 0 ? c.tokens[c.pos - 1] : undefined;
  return c.is('{', 1) && BLOCKS.some((b) => c.isWord(b)) && prev?.kind !== '.';
}
