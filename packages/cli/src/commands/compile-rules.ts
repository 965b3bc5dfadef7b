import { compileRule } from '@betrace/engine';
import type { CompiledRule } from '@betrace/engine';
import type { LoadedRule } from '@betrace/rulepack';

/** A rule compiled for the engine, or why it could not be. */
export type CompileOutcome = { ok: true; compiled: CompiledRule } | { ok: false; message: string };

/** Compiles a loaded rule whose condition analysed without errors. */
export function compileLoaded(rule: LoadedRule): CompileOutcome {
  if (!rule.analysis.ok) return { ok: false, message: `rule "${rule.id}" has errors in its condition` };
  try {
    const def = { id: rule.id, name: rule.name, severity: rule.severity, text: rule.condition, rule: rule.analysis.rule };
    return { ok: true, compiled: compileRule(def) };
  } catch (e) {
    // compileRule throws only on trees the checker should have rejected: an engine bug.
    return { ok: false, message: `internal error compiling rule "${rule.id}": ${e instanceof Error ? e.message : String(e)}` };
  }
}
