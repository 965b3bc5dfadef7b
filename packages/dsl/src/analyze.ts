import type { Rule } from './ast.ts';
import { checkRule } from './check/check-rule.ts';
import { type Diagnostic, hasErrors } from './diagnostic.ts';
import { DEFAULT_LIMITS, type Limits } from './limits.ts';
import { parseRule } from './parse/parse-rule.ts';

/** Parse and check in one step. `ok` is false when any diagnostic is an error; warnings come either way. */
export type AnalyzeResult =
  | { ok: true; rule: Rule; diagnostics: Diagnostic[] }
  | { ok: false; rule: Rule | undefined; diagnostics: Diagnostic[] };

/** Parses and checks rule text: what the editor, the CLI and the API all call. */
export function analyzeRule(text: string, limits: Limits = DEFAULT_LIMITS): AnalyzeResult {
  const parsed = parseRule(text, limits);
  if (!parsed.rule) return { ok: false, rule: undefined, diagnostics: parsed.diagnostics };
  const diagnostics = checkRule(parsed.rule, limits);
  return hasErrors(diagnostics)
    ? { ok: false, rule: parsed.rule, diagnostics }
    : { ok: true, rule: parsed.rule, diagnostics };
}
