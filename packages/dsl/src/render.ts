import { codePoints, type Diagnostic, lineColumn } from './diagnostic.ts';

/** Where the rule text sits inside a larger file, so positions point into that file. */
export interface RenderOptions {
  file?: string;
  /** 1-based line of the rule text's first character in the file. */
  line?: number;
  /** 1-based column of the rule text's first character in the file. */
  column?: number;
  /** Columns added to every line after the first (a YAML block scalar's indentation). */
  indent?: number;
}

/**
 * Renders a diagnostic like a compiler does:
 *
 *     error[unknown_block]: unknown block "alway"
 *       --> rules.yaml:12:5
 *        |
 *     12 |     alway { auth.check }
 *        |     ^^^^^
 *        = hint: did you mean "always"?
 */
export function renderDiagnostic(text: string, d: Diagnostic, options: RenderOptions = {}): string {
  const { line, column } = lineColumn(text, d.range.start);
  // lastIndexOf with a negative start still looks at index 0, so the first line is special
  const lineStart = d.range.start === 0 ? 0 : text.lastIndexOf('\n', d.range.start - 1) + 1;
  const nl = text.indexOf('\n', d.range.start);
  const lineEnd = nl < 0 ? text.length : nl;
  const source = text.slice(lineStart, lineEnd);
  const width = Math.max(1, codePoints(text, d.range.start, Math.min(d.range.end, lineEnd)));
  const fileLine = (options.line ?? 1) + line - 1;
  const pad = line === 1 ? (options.column ?? 1) - 1 : (options.indent ?? 0);
  const fileColumn = column + pad;
  const where = `${options.file ?? '<rule>'}:${fileLine}:${fileColumn}`;
  const gutter = ' '.repeat(String(fileLine).length);
  const shown = ' '.repeat(pad) + source.replace(/\t/g, ' ');
  const lines = [
    `${d.severity}[${d.code}]: ${d.message}`,
    `${gutter}--> ${where}`,
    `${gutter} |`,
    `${fileLine} | ${shown}`.trimEnd(),
    `${gutter} | ${' '.repeat(fileColumn - 1)}${'^'.repeat(width)}`,
  ];
  if (d.hint) lines.push(`${gutter} = hint: ${d.hint}`);
  return lines.join('\n');
}
