import { evaluateTrace } from '@betrace/engine';
import type { CompiledRule } from '@betrace/engine';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from '../io.ts';
import { formatProblem, hasErrorProblems } from '@betrace/rulepack';
import { loadRules } from '@betrace/rulepack';
import type { Command } from './command.ts';
import { compileLoaded } from './compile-rules.ts';
import { formatViolation, violationReport } from './format-violation.ts';
import type { ViolationReport } from './format-violation.ts';
import { loadTraces } from './load-traces.ts';

export const checkCommand: Command = {
  name: 'check',
  summary: 'evaluate rules against traces in OTLP/JSON files',
  help: `Usage: betrace check RULES... --traces FILE... [--json]

Evaluates every enabled rule against every trace in the trace files and prints the violations.

Arguments:
  RULES            rule files (YAML) or directories (every *.yaml / *.yml below, sorted)

Options:
  -t, --traces FILE  OTLP/JSON trace file (repeatable): one ExportTraceServiceRequest document, or
                     one per line as the OpenTelemetry Collector "file" exporter writes them. A
                     directory means every *.json / *.jsonl below it. Spans that share a trace id
                     are joined across files.
      --json         print the violations as one JSON array
  -h, --help         show this help

Exit status: 0 no violations, 1 violations found, 2 usage error or input that did not load
(problems are printed on standard error; everything that did load is still evaluated).`,
  options: {
    traces: { type: 'string', short: 't', multiple: true },
    json: { type: 'boolean' },
  },
  async run({ positionals, values }, io) {
    const traceFiles = (values['traces'] as string[] | undefined) ?? [];
    if (positionals.length === 0 || traceFiles.length === 0) {
      io.err('betrace check: give at least one rule path and one --traces file (see betrace check --help)');
      return EXIT_ERROR;
    }
    const loaded = await loadRules(positionals);
    // Infos (e.g. compat_form) are for `lint`; here only what may change the result is shown.
    for (const p of loaded.problems.filter((p) => p.severity !== 'info')) io.err(formatProblem(p));
    let failed = hasErrorProblems(loaded.problems);
    const compiled: CompiledRule[] = [];
    for (const rule of loaded.rules.filter((r) => r.enabled && r.analysis.ok)) {
      const outcome = compileLoaded(rule);
      if (outcome.ok) compiled.push(outcome.compiled);
      else {
        io.err(`error: ${outcome.message}`);
        failed = true;
      }
    }
    const traces = await loadTraces(traceFiles);
    for (const e of traces.errors) io.err(e);
    failed ||= traces.errors.length > 0;

    const reports: ViolationReport[] = [];
    for (const trace of traces.traces) {
      const result = evaluateTrace(compiled, trace);
      for (const f of result.failures) io.err(`error: internal error evaluating rule "${f.ruleId}" on trace ${f.traceId}: ${f.message}`);
      failed ||= result.failures.length > 0;
      reports.push(...result.violations.map((v) => violationReport(v, trace.spans)));
    }

    if (values['json']) io.out(JSON.stringify(reports, null, 2));
    else {
      for (const r of reports) io.out([...formatViolation(r), ''].join('\n'));
      const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
      io.out(`${count(reports.length, 'violation')} (${count(compiled.length, 'rule')}, ${count(traces.traces.length, 'trace')}, ${count(traces.spanCount, 'span')})`);
    }
    if (failed) return EXIT_ERROR;
    return reports.length > 0 ? EXIT_FINDINGS : EXIT_OK;
  },
};
