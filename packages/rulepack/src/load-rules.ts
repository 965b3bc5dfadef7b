import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeRule, lineColumn, renderDiagnostic } from '@betrace/dsl';
import type { AnalyzeResult } from '@betrace/dsl';
import type { Problem } from './problem.ts';
import { readRuleFile } from './read-rule-file.ts';
import type { RuleSpec } from './rule-spec.ts';

/** A rule from a file together with the analysis of its condition. */
export interface LoadedRule extends RuleSpec {
  file: string;
  analysis: AnalyzeResult;
}

/** Every rule found under the given paths, and every problem (file, YAML and condition diagnostics). */
export interface LoadResult {
  files: string[];
  rules: LoadedRule[];
  problems: Problem[];
}

/**
 * Loads rule files and directories (every `*.yaml` / `*.yml` below a directory, sorted), checks that
 * rule ids are unique across all of them, and analyses each condition. Diagnostics are rendered at
 * their place in the YAML file.
 */
export async function loadRules(paths: readonly string[]): Promise<LoadResult> {
  const problems: Problem[] = [];
  const files = await expandRulePaths(paths, problems);
  const rules: LoadedRule[] = [];
  const seen = new Map<string, RuleSpec>();
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      problems.push(fileProblem(file, `cannot read the file: ${errorMessage(e)}`));
      continue;
    }
    const read = readRuleFile(file, text);
    problems.push(...read.problems);
    for (const spec of read.rules) {
      const first = seen.get(spec.id);
      if (first) {
        const at = `${first.position.file}:${first.position.line}`;
        problems.push({ severity: 'error', position: spec.position, message: `duplicate rule id "${spec.id}" (first defined at ${at})` });
        continue;
      }
      seen.set(spec.id, spec);
      const loaded = analyze(file, spec);
      problems.push(...loaded.problems);
      rules.push(loaded.rule);
    }
  }
  return { files, rules, problems };
}

/** Analyses one rule's condition and renders its diagnostics at their place in the file. */
export function analyze(file: string, spec: RuleSpec): { rule: LoadedRule; problems: Problem[] } {
  const analysis = analyzeRule(spec.condition);
  const at = spec.conditionAt;
  const problems = analysis.diagnostics.map((d): Problem => {
    const rendered = renderDiagnostic(spec.condition, d, { file, line: at.line, column: at.column, indent: at.indent });
    const { line, column } = lineColumn(spec.condition, d.range.start);
    const position = { file, line: at.line + line - 1, column: line === 1 ? at.column + column - 1 : at.indent + column };
    const problem: Problem = { severity: d.severity, position, message: `[${d.code}] ${d.message}`, ruleId: spec.id };
    problem.rendered = `${rendered}\n  = in rule "${spec.id}"`;
    return problem;
  });
  return { rule: { ...spec, file, analysis }, problems };
}

/** The rule files named by `paths`: files as given, directories expanded to their YAML files. */
export async function expandRulePaths(paths: readonly string[], problems: Problem[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    try {
      const info = await stat(path);
      if (info.isDirectory()) out.push(...(await yamlFilesUnder(path)));
      else out.push(path);
    } catch (e) {
      problems.push(fileProblem(path, `cannot read the rule path: ${errorMessage(e)}`));
    }
  }
  return [...new Set(out)];
}

async function yamlFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const sorted = entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const entry of sorted) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await yamlFilesUnder(path)));
    else if (/\.ya?ml$/i.test(entry.name)) out.push(path);
  }
  return out;
}

function fileProblem(file: string, message: string): Problem {
  return { severity: 'error', position: { file, line: 1, column: 1 }, message };
}

function errorMessage(e: unknown): string {
  if (e instanceof Error && 'code' in e && e.code === 'ENOENT') return 'no such file or directory';
  return e instanceof Error ? e.message : String(e);
}
