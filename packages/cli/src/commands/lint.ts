import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from '../io.ts';
import { loadRules } from '@betrace/rulepack';
import { formatProblem } from '@betrace/rulepack';
import type { Problem } from '@betrace/rulepack';
import type { Command } from './command.ts';

export const lintCommand: Command = {
  name: 'lint',
  summary: 'print every diagnostic of rule files (errors, warnings, infos)',
  help: `Usage: betrace lint RULES...

Loads rule files and prints every problem compiler-style with file:line:column: YAML and rule-file
errors, unknown keys, and the rule language's diagnostics (errors, warnings, infos) with the
source line and a caret.

Arguments:
  RULES       rule files (YAML) or directories (every *.yaml / *.yml below, sorted)

Options:
  -h, --help  show this help

Exit status: 0 no errors (warnings and infos allowed), 1 errors found, 2 usage error.`,
  options: {},
  async run({ positionals }, io) {
    if (positionals.length === 0) {
      io.err('betrace lint: give at least one rule file or directory (see betrace lint --help)');
      return EXIT_ERROR;
    }
    const loaded = await loadRules(positionals);
    const order = new Map(loaded.files.map((f, i) => [f, i]));
    const problems = [...loaded.problems].sort((a, b) => byPosition(order, a, b));
    for (const p of problems) io.out(`${formatProblem(p)}\n`);
    const count = (severity: Problem['severity'], word: string) => {
      const n = problems.filter((p) => p.severity === severity).length;
      return `${n} ${word}${n === 1 ? '' : 's'}`;
    };
    const files = `${loaded.files.length} file${loaded.files.length === 1 ? '' : 's'}`;
    io.out(`${count('error', 'error')}, ${count('warning', 'warning')}, ${count('info', 'info')} in ${files} (${loaded.rules.length} rules)`);
    return problems.some((p) => p.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
  },
};

/** Files in load order, then by line and column; the sort is stable for equal positions. */
function byPosition(order: Map<string, number>, a: Problem, b: Problem): number {
  const pa = a.position;
  const pb = b.position;
  const byFile = (order.get(pa.file) ?? -1) - (order.get(pb.file) ?? -1);
  return byFile || pa.line - pb.line || pa.column - pb.column;
}
