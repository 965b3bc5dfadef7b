// The project's test command: every suite in order, then one plain summary line for CI.
// Suites: typecheck, lint, unit + e2e tests (vitest, counted per test), the example rule packs and
// the demo's, the Prometheus alert rules (promtool, from the distribution's prometheus package).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Tally {
  passed: number;
  failed: number;
}

const tally: Tally = { passed: 0, failed: 0 };

function run(title: string, cmd: string, args: string[]): number {
  console.log(`\n== ${title}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.error) console.log(`== cannot run ${cmd}: ${r.error.message}`);
  return r.status ?? 1;
}

function step(title: string, cmd: string, args: string[]): void {
  const ok = run(title, cmd, args) === 0;
  if (ok) tally.passed++;
  else tally.failed++;
  console.log(`== ${title}: ${ok ? 'ok' : 'FAILED'}`);
}

step('typecheck', 'tsc', ['-p', 'tsconfig.json']);
step('lint', 'eslint', ['.']);

const report = join(mkdtempSync(join(tmpdir(), 'betrace-test-')), 'vitest.json');
const status = run('unit and e2e tests', 'vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile=${report}`]);
try {
  const r = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numFailedTestSuites: number };
  tally.passed += r.numPassedTests;
  tally.failed += r.numFailedTests + r.numFailedTestSuites;
  if (status !== 0 && r.numFailedTests + r.numFailedTestSuites === 0) tally.failed++;
} catch {
  console.log('== vitest wrote no report');
  tally.failed++;
}

step('grafana plugin and console (typecheck, lint, jest, build)', 'npm', ['run', '--silent', 'test:plugin']);
step('example rule packs', 'betrace', ['test', 'examples/rules']);
step('demo rule pack', 'betrace', ['test', 'packages/cli/src/demo/demo-rules.yaml']);
step('prometheus alert rules syntax', 'promtool', ['check', 'rules', 'deploy/prometheus/betrace-alerts.yaml']);
step('prometheus example config', 'promtool', ['check', 'config', 'deploy/prometheus/prometheus.yaml']);
step('prometheus alert rules', 'promtool', ['test', 'rules', 'deploy/prometheus/betrace-alerts.test.yaml']);

console.log(`\n${tally.passed} passed, ${tally.failed} failed`);
process.exit(tally.failed === 0 ? 0 : 1);
