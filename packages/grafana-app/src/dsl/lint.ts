import { analyzeRule, lineColumn } from '@betrace/dsl';

/** A diagnostic placed in the editor: the server's code, message and hint at the exact range. */
export interface EditorDiagnostic {
  from: number;
  to: number;
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  hint?: string;
  line: number;
  column: number;
}

/**
 * The same `analyzeRule` the server runs on save, mapped to editor ranges. An empty range (e.g.
 * "expected }" at the end) is widened to one character so the squiggle is visible.
 */
export function lintRule(text: string): EditorDiagnostic[] {
  return analyzeRule(text).diagnostics.map((d) => {
    const from = Math.min(d.range.start, text.length);
    let to = Math.min(Math.max(d.range.end, from), text.length);
    if (to === from && from < text.length) {
      to = from + 1;
    }
    const at = lineColumn(text, from);
    const out: EditorDiagnostic = { from, to, severity: d.severity, code: d.code, message: d.message, line: at.line, column: at.column };
    if (d.hint !== undefined) {
      out.hint = d.hint;
    }
    return out;
  });
}
