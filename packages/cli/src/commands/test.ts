import { evaluateTrace } from '@betrace/engine';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from '../io.ts';
import type { Io } from '../io.ts';
import { exampleTrace } from '@betrace/rulepack';
import type { LoadedRule } from '@betrace/rulepack';
import { loadRules } from '@betrace/rulepack';
import { formatProblem } from '@betrace/rulepack';
import type { ExampleSpec } from '@betrace/rulepack';
import type { Command } from './command.ts';
import { compileLoaded } from './compile-rules.ts';
import { formatViolation, violationReport } from './format-violation.ts';

export const testCommand: Command = {
  name: 'test',
  summary: "run every rule's examples and report pass/fail",
  help: `Usage: betrace test RULES...

Runs the examples of every rule (disabled rules included) and checks the verdict each expects:
"expect: violation" needs at least one violation (exactly "violations: N" when given),
"expect: pass" needs none. The original format's "example_violation" expects a violation.

Arguments:
  RULES       rule files (YAML) or directories (every *.yaml / *.yml below, sorted)

Options:
  -h, --help  show this help

Exit status: 0 every example passed, 1 an example failed or a rule or example did not load,
2 usage error.`,
  options: {},
  async run({ positionals }, io) {
    if (positionals.length === 0) {
      io.err('betrace test: give at least one rule file or directory (see betrace test --help)');
      return EXIT_ERROR;
    }
    const loaded = await loadRules(positionals);
    const loadErrors = loaded.problems.filter((p) => p.severity === 'error' && !p.ruleId);
    // Condition errors are shown with the rule's FAIL line; everything else up front.
    const upFront = loaded.problems.filter((p) => p.severity !== 'info' && !(p.ruleId && p.severity === 'error'));
    for (const p of upFront) io.err(formatProblem(p));
    let passed = 0;
    let failed = 0;
    let withoutExamples = 0;
    for (const rule of loaded.rules) {
      if (rule.examples.length === 0) withoutExamples++;
      const errors = loaded.problems.filter((p) => p.ruleId === rule.id && p.severity === 'error');
    const results = runRule(rule, errors.map(formatProblem), io);
      passed += results.passed;
      failed += results.failed;
    }
    const problems = loadErrors.length > 0 ? `, ${loadErrors.length} load error${loadErrors.length === 1 ? '' : 's'}` : '';
    const rules = `${loaded.rules.length} rule${loaded.rules.length === 1 ? '' : 's'}`;
    const bare = withoutExamples > 0 ? `, ${withoutExamples} without examples` : '';
    io.out(`\n${plural(passed + failed, 'example')}: ${passed} passed, ${failed} failed${problems} (${rules}${bare})`);
    return failed > 0 || loadErrors.length > 0 ? EXIT_FINDINGS : EXIT_OK;
  },
};

function runRule(rule: LoadedRule, diagnostics: string[], io: Io): { passed: number; failed: number } {
  const outcome = compileLoaded(rule);
  if (!outcome.ok) {
    for (const example of rule.examples) io.out(`FAIL ${rule.id} › ${example.name}: ${outcome.message}`);
    if (rule.examples.length === 0) io.out(`FAIL ${rule.id}: ${outcome.message}`);
    for (const text of diagnostics) io.out(indentLines(text, '     '));
    return { passed: 0, failed: Math.max(1, rule.examples.length) };
  }
  let passed = 0;
  let failed = 0;
  rule.examples.forEach((example, i) => {
    const trace = exampleTrace(rule.id, i, example);
    const result = evaluateTrace([outcome.compiled], trace);
    const got = result.violations.length;
    const error = result.failures[0]?.message;
    const ok = error === undefined && verdictHolds(example, got);
    const summary = `${rule.id} › ${example.name} (expected ${expected(example)}, got ${got} violation${got === 1 ? '' : 's'})`;
    if (ok) {
      passed++;
      io.out(`PASS ${summary}`);
      return;
    }
    failed++;
    io.out(`FAIL ${summary}`);
    if (error !== undefined) io.out(`     internal error: ${error}`);
    for (const v of result.violations) io.out(formatViolation(violationReport(v, trace.spans), '     ').join('\n'));
  });
  return { passed, failed };
}

function verdictHolds(example: ExampleSpec, got: number): boolean {
  if (example.expect === 'pass') return got === 0;
  return example.violations === undefined ? got > 0 : got === example.violations;
}

function expected(example: ExampleSpec): string {
  if (example.expect === 'pass') return 'pass';
  return example.violations === undefined ? 'violation' : `${example.violations} violation${example.violations === 1 ? '' : 's'}`;
}

function indentLines(text: string, indent: string): string {
  return text.split('\n').map((line) => indent + line).join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
