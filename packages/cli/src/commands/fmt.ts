import { readFile, writeFile } from 'node:fs/promises';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from '../io.ts';
import { formatRuleFile } from '@betrace/rulepack';
import { expandRulePaths } from '@betrace/rulepack';
import { formatProblem } from '@betrace/rulepack';
import type { Problem } from '@betrace/rulepack';
import type { Command } from './command.ts';

export const fmtCommand: Command = {
  name: 'fmt',
  summary: 'rewrite rule conditions in canonical form inside their YAML files',
  help: `Usage: betrace fmt RULES... [--check]

Rewrites each rule's "condition" in canonical form (one block per line; the compatibility form
"name.attr op value" becomes "name.where(attr op value)"). Only the condition scalars change:
comments, other keys and the layout of the rest of the file are kept. Multi-line conditions are
written as literal blocks ("|"). Rules whose condition has errors are left alone and reported.

Arguments:
  RULES        rule files (YAML) or directories (every *.yaml / *.yml below, sorted)

Options:
      --check  write nothing; list the files and rules that would change
  -h, --help   show this help

Exit status: 0 done (or, with --check, nothing would change), 1 with --check: something would
change, 2 usage error, unreadable file, invalid YAML, or a condition with errors.`,
  options: { check: { type: 'boolean' } },
  async run({ positionals, values }, io) {
    if (positionals.length === 0) {
      io.err('betrace fmt: give at least one rule file or directory (see betrace fmt --help)');
      return EXIT_ERROR;
    }
    const check = values['check'] === true;
    const problems: Problem[] = [];
    const files = await expandRulePaths(positionals, problems);
    let wouldChange = 0;
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        problems.push({ severity: 'error', position: { file, line: 1, column: 1 }, message: `cannot read the file: ${String(e)}` });
        continue;
      }
      const result = formatRuleFile(file, text);
      problems.push(...result.problems);
      if (result.changed.length === 0) continue;
      wouldChange++;
      const rules = result.changed.map((id) => `"${id}"`).join(', ');
      if (check) {
        io.out(`${file}: would reformat ${rules}`);
        continue;
      }
      try {
        await writeFile(file, result.text);
        io.out(`${file}: reformatted ${rules}`);
      } catch (e) {
        problems.push({ severity: 'error', position: { file, line: 1, column: 1 }, message: `cannot write the file: ${String(e)}` });
      }
    }
    for (const p of problems) io.err(formatProblem(p));
    if (wouldChange === 0 && problems.length === 0) io.out(`${files.length} file${files.length === 1 ? '' : 's'} already formatted`);
    if (problems.some((p) => p.severity === 'error')) return EXIT_ERROR;
    return check && wouldChange > 0 ? EXIT_FINDINGS : EXIT_OK;
  },
};
