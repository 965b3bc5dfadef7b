/** Token kinds. Words are all `ident`: keywords are reserved only where a keyword can stand. */
export type TokenKind =
  | 'ident'
  | 'string'
  | 'number'
  | 'duration'
  | 'op'
  | '('
  | ')'
  | '{'
  | '}'
  | '['
  | ']'
  | ','
  | '.'
  | ':'
  | '*'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token (for `string`, including quotes). */
  text: string;
  /** Decoded string value, or the word for `ident`, or the operator for `op`. */
  value: string;
  /** Numeric value for `number`; nanoseconds for `duration`. */
  num: number;
  start: number;
  end: number;
}

/** Words that are keywords where a keyword can stand (spec section 2). */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'when', 'always', 'never', 'and', 'or', 'not', 'in', 'matches', 'contains', 'count', 'sum', 'avg',
  'min', 'max', 'where', 'true', 'false', 'null', 'before', 'after', 'within', 'of', 'parent',
  'child', 'ancestor', 'descendant',
]);

/** Nanoseconds per duration unit. */
export const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when `s` can be written as one bare identifier. */
export function isIdentifier(s: string): boolean {
  return IDENT.test(s);
}

/**
 * True when `name` can be written unquoted as a dotted name: identifier segments separated by dots,
 * whose first segment is not a keyword.
 */
export function isBareDottedName(name: string): boolean {
  const segments = name.split('.');
  return segments.every(isIdentifier) && !KEYWORDS.has(segments[0] ?? '');
}
