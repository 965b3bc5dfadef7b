/** Hostile-input limits (spec section 8). Part of the language: every rule is held to them. */
export interface Limits {
  /** Rule text, UTF-8 bytes. */
  maxRuleBytes: number;
  /** Nesting of conditions, predicates and parentheses. */
  maxDepth: number;
  /** Syntax tree nodes. */
  maxNodes: number;
  /** One string literal, UTF-8 bytes after unescaping. */
  maxStringBytes: number;
  /** Items in one `in [...]` list. */
  maxListItems: number;
  /** One `matches` pattern, UTF-8 bytes. */
  maxRegexBytes: number;
}

/** The defaults from the language definition. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxRuleBytes: 64 * 1024,
  maxDepth: 64,
  maxNodes: 10_000,
  maxStringBytes: 16 * 1024,
  maxListItems: 1_000,
  maxRegexBytes: 4 * 1024,
});

/** UTF-8 length of a string without allocating (the lexer and checker call it on every literal). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
