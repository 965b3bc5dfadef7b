import type { NameSelector, Range, AttributeField, LabelField } from '../ast.ts';
import type { Diagnostic, DiagnosticCode } from '../diagnostic.ts';
import type { Limits } from '../limits.ts';
import type { Token, TokenKind } from '../token.ts';

/** The deepest nesting parsed whatever the limits say: deeper trees could overflow the stack. */
export const MAX_DEPTH_CEILING = 1000;

/** Thrown to abandon the current block after a syntax error; the block parser resynchronises. */
export class ParseAbort extends Error {}

// one instance: capturing a stack trace per syntax error made hostile input with many errors slow
const ABORT = new ParseAbort('syntax error (reported as a diagnostic)');

/** Token cursor plus the bookkeeping every parse function shares. */
export class Cursor {
  readonly tokens: readonly Token[];
  readonly limits: Limits;
  readonly diagnostics: Diagnostic[] = [];
  /** Name selectors written as one bare word: they become label references if a label has that name. */
  readonly bareSelectors = new Set<NameSelector>();
  /** Attribute keys written as bare dotted names: their first segment may turn out to be a label. */
  readonly bareKeys = new Set<AttributeField>();
  /** `x."key"` / `x.key` values and fields whose `x` must be a label (checked after parsing). */
  readonly labelFields = new Set<LabelField>();
  pos = 0;
  depth = 0;
  nodes = 0;

  constructor(tokens: readonly Token[], limits: Limits) {
    this.tokens = tokens;
    this.limits = limits;
  }

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  /** The end offset of the last consumed token. */
  lastEnd(): number {
    return this.pos > 0 ? (this.tokens[this.pos - 1] as Token).end : 0;
  }

  isWord(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'ident' && t.value === word;
  }

  is(kind: TokenKind, ahead = 0): boolean {
    return this.peek(ahead).kind === kind;
  }

  eatWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.next();
    return true;
  }

  eat(kind: TokenKind): boolean {
    if (!this.is(kind)) return false;
    this.next();
    return true;
  }

  expect(kind: TokenKind, what: string, hint?: string): Token {
    if (this.is(kind)) return this.next();
    return this.fail('unexpected_token', `expected ${what}, found ${describe(this.peek())}`, this.peek(), hint);
  }

  expectWord(word: string, hint?: string): Token {
    if (this.isWord(word)) return this.next();
    return this.fail('unexpected_token', `expected "${word}", found ${describe(this.peek())}`, this.peek(), hint);
  }

  /** Records an error and abandons the block. */
  fail(code: DiagnosticCode, message: string, at: Range, hint?: string): never {
    this.report(code, message, at, hint);
    throw ABORT;
  }

  report(code: DiagnosticCode, message: string, at: Range, hint?: string): void {
    const range = { start: at.start, end: at.end };
    this.diagnostics.push(hint === undefined ? { code, severity: 'error', message, range } : { code, severity: 'error', message, range, hint });
  }

  /** True once the rule has more nodes than the limit allows: the rest of the text is not parsed. */
  tooComplex(): boolean {
    return this.nodes > this.limits.maxNodes;
  }

  /** Counts a syntax-tree node against the complexity limit. */
  node(at: Range): void {
    if (++this.nodes > this.limits.maxNodes) {
      this.fail('too_complex', `rule has more than ${this.limits.maxNodes} syntax nodes`, at, 'split it into several rules');
    }
  }

  /** Runs `f` one nesting level deeper, enforcing the depth limit before the stack can overflow. */
  nested<T>(at: Range, f: () => T): T {
    // a caller's limit above what the stack of every later tree walk can take is capped, not trusted
    const max = Math.min(this.limits.maxDepth, MAX_DEPTH_CEILING);
    if (++this.depth > max) {
      this.fail('too_deep', `nesting is deeper than ${max} levels`, at, 'flatten the condition or split the rule');
    }
    try {
      return f();
    } finally {
      this.depth--;
    }
  }
}

/** How a token is named in "expected X, found Y" messages. */
export function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'the end of the rule';
    case 'ident':
      return `"${t.value}"`;
    case 'string':
      return `the string ${t.text.length > 30 ? t.text.slice(0, 30) + '…' : t.text}`;
    case 'number':
    case 'duration':
      return `the ${t.kind} ${t.text}`;
    default:
      return `"${t.text}"`;
  }
}

/** Range from `start` to the end of the last consumed token. */
export function span(c: Cursor, start: number): Range {
  return { start, end: c.lastEnd() };
}
