import type { Range } from './ast.ts';

/** Every diagnostic code the lexer, parser and checker can produce. Codes are stable API. */
export const DIAGNOSTIC_CODES = [
  // limits (spec section 8)
  'rule_too_long', 'too_deep', 'too_complex', 'string_too_long', 'list_too_long', 'regex_too_long',
  // lexical
  'unexpected_character', 'unterminated_string', 'unterminated_comment', 'bad_escape', 'bad_number', 'bad_duration_unit',
  // syntax
  'unexpected_token', 'unknown_block', 'duplicate_block', 'empty_rule', 'bad_value', 'keyword_as_name',
  // checks
  'rule_without_assertion', 'label_outside_when', 'too_many_labels', 'label_under_negation', 'unknown_label',
  'reserved_label', 'unknown_intrinsic', 'unknown_enum_value', 'ordering_needs_number', 'duration_against_attribute',
  'duration_needs_unit', 'type_mismatch', 'invalid_regex', 'null_comparison', 'within_needs_order', 'compat_form',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export type Severity = 'error' | 'warning' | 'info';

/** A problem found in rule text, with UTF-16 string offsets (see `toByteRange` for the spec's bytes). */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** A suggestion that tells the user what to write instead. */
  hint?: string;
  range: Range;
}

/** Converts a string-offset range into the UTF-8 byte offsets the spec speaks of. */
export function toByteRange(text: string, range: Range): Range {
  const enc = new TextEncoder();
  const start = enc.encode(text.slice(0, range.start)).length;
  const end = start + enc.encode(text.slice(range.start, range.end)).length;
  return { start, end };
}

/** 1-based line and column of a string offset; columns count characters (code points), as editors show them. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: codePoints(text, lineStart, end) + Math.max(0, offset - end) + 1 };
}

/** Code points in `text[start, end)`: a surrogate pair is one character. */
export function codePoints(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!(c >= 0xdc00 && c <= 0xdfff && i > start && isHighSurrogate(text.charCodeAt(i - 1)))) n++;
  }
  return n;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** True when any diagnostic is an error (warnings and infos do not stop a rule from running). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
