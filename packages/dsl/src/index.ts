export type * from './ast.ts';
export type { Diagnostic, DiagnosticCode, Severity } from './diagnostic.ts';
export { toByteRange, lineColumn, hasErrors } from './diagnostic.ts';
export type { LinearRegex, RegexResult } from './regex.ts';
export { compileRegex } from './regex.ts';
