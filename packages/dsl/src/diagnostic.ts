import type { Range } from './ast.ts';

/** Every diagnostic code the lexer, parser and checker can produce. Codes are stable API. */
export type DiagnosticCode =
  // limits (spec section 8)
  | 'rule_too_long'
  | 'too_deep'
  | 'too_complex'
  | 'string_too_long'
  | 'list_too_long'
  | 'regex_too_long'
  // lexical
  | 'unexpected_character'
  | 'unterminated_string'
  | 'unterminated_comment'
  | 'bad_escape'
  | 'bad_number'
  | 'bad_duration_unit'
  // syntax
  | 'unexpected_token'
  | 'unknown_block'
  | 'duplicate_block'
  | 'empty_rule'
  | 'bad_value'
  | 'keyword_as_name'
  // checks
  | 'rule_without_assertion'
  | 'label_outside_when'
  | 'too_many_labels'
  | 'label_under_negation'
  | 'unknown_label'
  | 'reserved_label'
  | 'unknown_intrinsic'
  | 'unknown_enum_value'
  | 'ordering_needs_number'
  | 'duration_against_attribute'
  | 'duration_needs_unit'
  | 'type_mismatch'
  | 'invalid_regex'
  | 'null_comparison'
  | 'within_needs_order'
  | 'compat_form';

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

/** 1-based line and column (in characters) of a string offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** True when any diagnostic is an error (warnings and infos do not stop a rule from running). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
