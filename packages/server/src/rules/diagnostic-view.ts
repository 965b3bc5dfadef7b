import { type Diagnostic, lineColumn, toByteRange } from '@betrace/dsl';

/** A diagnostic as the API returns it: ranges in UTF-16 offsets (editors) and UTF-8 bytes (spec). */
export interface DiagnosticView {
  code: string;
  severity: Diagnostic['severity'];
  message: string;
  hint?: string;
  /** UTF-16 code unit offsets into the condition text, as JavaScript editors index it. */
  range: { start: number; end: number };
  /** UTF-8 byte offsets, as the language specification counts. */
  byteRange: { start: number; end: number };
  /** 1-based line and column (code points) of the range's start and end. */
  start: { line: number; column: number };
  end: { line: number; column: number };
}

export function diagnosticView(text: string, d: Diagnostic): DiagnosticView {
  const view: DiagnosticView = {
    code: d.code,
    severity: d.severity,
    message: d.message,
    range: { start: d.range.start, end: d.range.end },
    byteRange: toByteRange(text, d.range),
    start: lineColumn(text, d.range.start),
    end: lineColumn(text, d.range.end),
  };
  if (d.hint !== undefined) view.hint = d.hint;
  return view;
}
