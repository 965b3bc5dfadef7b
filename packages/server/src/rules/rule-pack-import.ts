import { analyzeRule, lineColumn } from '@betrace/dsl';
import type { RuleStore, StoredRule } from '@betrace/store';
import { type ApiFailure, failure } from '../api/errors.ts';
import { type Problem, type RuleSpec, readRuleFile } from './rule-pack.ts';
import type { RuleService } from './rule-service.ts';

/** Where a problem is in the imported text (1-based). */
export interface ImportProblem {
  severity: Problem['severity'];
  line: number;
  column: number;
  message: string;
  code?: string;
}

/** What happened to one rule of an imported pack. */
export interface ImportedRule {
  id: string;
  outcome: 'created' | 'updated' | 'unchanged' | 'error';
  version?: number;
  /** Why the rule was not stored (outcome `error`), or warnings about it. */
  problems: ImportProblem[];
  /** The API error for a rule the store refused (conflict, …). */
  error?: ApiFailure;
}

export interface ImportReport {
  rules: ImportedRule[];
  /** Problems not tied to one stored rule (YAML errors, rules the reader dropped). */
  problems: ImportProblem[];
  counts: Record<ImportedRule['outcome'], number>;
}

const IMPORT_FILE = 'import.yaml';

/**
 * Creates or updates every rule of a YAML pack, each on its own (atomic per rule): a rule whose
 * condition has errors, or that the store refuses, is reported and the others still apply.
 * Returns a failure only when the text holds no rule at all.
 */
export async function importRulePack(
  deps: { store: RuleStore; service: RuleService }, text: string, actor: string,
): Promise<{ ok: true; value: ImportReport } | { ok: false; failure: ApiFailure }> {
  const read = readRuleFile(IMPORT_FILE, text);
  const general = read.problems.filter((p) => p.ruleId === undefined).map(problemView);
  if (read.rules.length === 0) {
    const errors = general.filter((p) => p.severity === 'error');
    const why = errors[0] ? ` (line ${errors[0].line}, column ${errors[0].column}: ${errors[0].message})` : '';
    return { ok: false, failure: failure('invalid_request', `the body holds no importable rule${why}; expected a rule pack "rules: [...]" as GET /api/v1/rules/export writes`, { problems: general }) };
  }
  const rules: ImportedRule[] = [];
  for (const spec of read.rules) rules.push(await importOne(deps, spec, actor));
  const counts = { created: 0, updated: 0, unchanged: 0, error: 0 };
  for (const r of rules) counts[r.outcome]++;
  return { ok: true, value: { rules, problems: general, counts } };
}

async function importOne(deps: { store: RuleStore; service: RuleService }, spec: RuleSpec, actor: string): Promise<ImportedRule> {
  const analysis = analyzeRule(spec.condition);
  const problems = analysis.diagnostics.map((d): ImportProblem => {
    const at = spec.conditionAt;
    const { line, column } = lineColumn(spec.condition, d.range.start);
    return {
      severity: d.severity, code: d.code, message: d.hint ? `${d.message} (${d.hint})` : d.message,
      line: at.line + line - 1, column: line === 1 ? at.column + column - 1 : at.indent + column,
    };
  });
  if (!analysis.ok) return { id: spec.id, outcome: 'error', problems };
  const content = { name: spec.name, description: spec.description, severity: spec.severity, tags: spec.tags, enabled: spec.enabled, condition: spec.condition };
  const existing = await deps.store.get(spec.id);
  if (existing === undefined) {
    const created = await deps.service.create({ id: spec.id, ...content }, actor);
    return created.ok ? stored('created', created.value, problems) : refused(spec, created.failure, problems);
  }
  const updated = await deps.service.update(spec.id, content, actor);
  if (!updated.ok) return refused(spec, updated.failure, problems);
  return stored(updated.value.version === existing.version ? 'unchanged' : 'updated', updated.value, problems);
}

function stored(outcome: 'created' | 'updated' | 'unchanged', rule: StoredRule, problems: ImportProblem[]): ImportedRule {
  return { id: rule.id, outcome, version: rule.version, problems };
}

function refused(spec: RuleSpec, error: ApiFailure, problems: ImportProblem[]): ImportedRule {
  const { line, column } = spec.position;
  return { id: spec.id, outcome: 'error', problems: [...problems, { severity: 'error', line, column, message: error.message }], error };
}

function problemView(p: Problem): ImportProblem {
  return { severity: p.severity, line: p.position.line, column: p.position.column, message: p.message };
}
