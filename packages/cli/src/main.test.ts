import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cliDir = new URL('..', import.meta.url).pathname;
const main = join(cliDir, 'src/main.ts');

/** Runs the real command in a subprocess, from packages/cli so fixture paths are short. */
function betrace(...args: string[]) {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: cliDir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'betrace-cli-'));
}

describe('betrace (top level)', () => {
  it('prints help listing every command', () => {
    const r = betrace('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: betrace <command> \[options\]/);
    for (const cmd of ['check', 'test', 'fmt', 'lint']) expect(r.stdout).toMatch(new RegExp(`^  ${cmd} +\\S`, 'm'));
  });

  it('runs through the installed bin script', () => {
    const r = spawnSync(process.execPath, [join(cliDir, 'bin/betrace.js'), '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^betrace \d+\.\d+\.\d+\n$/);
  });

  it('prints the version from package.json', () => {
    const version: unknown = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8'));
    expect(betrace('--version')).toMatchObject({ code: 0, stdout: `betrace ${(version as { version: string }).version}\n` });
  });

  it('rejects no command, unknown commands and unknown options with exit 2', () => {
    expect(betrace()).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^Usage: betrace <command>/) });
    expect(betrace('frobnicate')).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown command "frobnicate"; expected one of serve, check, test, fmt, lint, keys/) });
    expect(betrace('check', '--nope')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^betrace check: Unknown option '--nope'/) });
  });

  it('prints help for each command', () => {
    expect(betrace('check', '--help')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: betrace check RULES\.\.\. --traces FILE\.\.\. \[--json\]/) });
    expect(betrace('help', 'fmt')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: betrace fmt RULES\.\.\. \[--check\]/) });
    expect(betrace('lint', '-h').stdout).toMatch(/^Usage: betrace lint RULES\.\.\./);
    expect(betrace('test', '--help').stdout).toMatch(/^Usage: betrace test RULES\.\.\./);
  });
});

describe('betrace check', () => {
  const expected = [
    'pii-needs-auth (high) violated in trace 4bf92f3577b34da6a3ce929d0e0e4736',
    '  rule:      PII access needs an authorization check',
    '  reason:    missing: auth.check',
    '  trigger:   database.query [db] 2222222222222222',
    '',
    'large-payment-fraud-check (critical) violated in trace 4bf92f3577b34da6a3ce929d0e0e4736',
    '  rule:      Large payments are fraud-checked first',
    '  reason:    missing: fraud.check before p',
    '  trigger:   payment.charge [payments] 3333333333333333',
    '',
    '2 violations (3 rules, 2 traces, 11 spans)',
    '',
  ].join('\n');

  it.each(['checkout.json', 'checkout.jsonl'])('prints violations and exits 1 (%s)', (file) => {
    const r = betrace('check', 'testdata/rules', '--traces', `testdata/traces/${file}`);
    expect(r).toEqual({ code: 1, stdout: expected, stderr: '' });
  });

  it('reads every *.json / *.jsonl under a --traces directory, joining spans of one trace', () => {
    const r = betrace('check', 'testdata/rules', '--traces', 'testdata/traces');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^2 violations \(3 rules, 2 traces, 22 spans\)$/m);
  });

  it('prints JSON with span names and services', () => {
    const r = betrace('check', 'testdata/rules/payments.yaml', '-t', 'testdata/traces/checkout.json', '--json');
    expect(r.code).toBe(1);
    const reports: unknown = JSON.parse(r.stdout);
    expect(reports).toEqual([
      {
        ruleId: 'pii-needs-auth', ruleName: 'PII access needs an authorization check', severity: 'high',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736', reason: 'missing: auth.check',
        trigger: [{ spanId: '2222222222222222', name: 'database.query', service: 'db' }], offending: [],
      },
      {
        ruleId: 'large-payment-fraud-check', ruleName: 'Large payments are fraud-checked first', severity: 'critical',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736', reason: 'missing: fraud.check before p',
        boundSpan: { spanId: '3333333333333333', name: 'payment.charge', service: 'payments' },
        trigger: [{ spanId: '3333333333333333', name: 'payment.charge', service: 'payments' }], offending: [],
      },
    ]);
  });

  it('reports offending spans of a never rule and exits 0 when nothing is violated', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'r.yaml'), 'rules:\n  - id: few-retries\n    condition: never { count(http.retry) > 1 }\n  - id: quiet\n    condition: never { http.retry.where(span.status == ok) }\n');
    const r = betrace('check', join(dir, 'r.yaml'), '-t', 'testdata/traces/checkout.json');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  reason:    forbidden: count(http.retry) > 1\n  offending: http.retry [payments] aaaaaaaaaaaaaaaa\n             http.retry [payments] bbbbbbbbbbbbbbbb\n');
    writeFileSync(join(dir, 'r.yaml'), 'rules:\n  - id: few-retries\n    condition: never { count(http.retry) > 3 }\n');
    expect(betrace('check', join(dir, 'r.yaml'), '-t', 'testdata/traces/checkout.json')).toMatchObject({ code: 0, stdout: '0 violations (1 rule, 2 traces, 11 spans)\n' });
  });

  it('evaluates rules in the original BeTrace format', () => {
    const r = betrace('check', 'testdata/original', '-t', 'testdata/traces/checkout.jsonl');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^pii-access-requires-auth \(high\) violated in trace 4bf92f3577b34da6a3ce929d0e0e4736$/m);
    expect(r.stdout).toMatch(/^1 violation \(3 rules, 2 traces, 11 spans\)$/m);
  });

  it('exits 2 on usage errors and unreadable input', () => {
    expect(betrace('check', 'testdata/rules')).toMatchObject({ code: 2, stderr: expect.stringMatching(/give at least one rule path and one --traces file/) });
    expect(betrace('check', 'testdata/rules', '-t', 'missing.json')).toMatchObject({ code: 2, stderr: 'missing.json: cannot read the trace file: no such file\n' });
    expect(betrace('check', 'nowhere', '-t', 'testdata/traces/checkout.json')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^nowhere:1:1: error: cannot read the rule path: no such file or directory$/m) });
  });

  it('reports bad spans with their location, still evaluates the rest, and exits 2', () => {
    const dir = tempDir();
    const lines = readFileSync(join(cliDir, 'testdata/traces/checkout.jsonl'), 'utf8').split('\n');
    lines[1] = (lines[1] ?? '').replace('"spanId":"6666666666666666"', '"spanId":"xyz"');
    writeFileSync(join(dir, 't.jsonl'), lines.join('\n'));
    const r = betrace('check', 'testdata/rules', '-t', join(dir, 't.jsonl'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${join(dir, 't.jsonl')}:2: resourceSpans[0].scopeSpans[0].spans[0].spanId: expected 16 hex digits (8 bytes), found the string "xyz" (OTLP/JSON writes ids as hex, not base64)\n`);
    // Without its auth.check span the clean trace now violates pii-needs-auth too.
    expect(r.stdout).toMatch(/^3 violations \(3 rules, 2 traces, 10 spans\)$/m);
  });
});

describe('betrace test', () => {
  it('runs every example and exits 0 when all pass', () => {
    const r = betrace('test', 'testdata/rules', 'testdata/original');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PASS large-payment-fraud-check › two large charges, neither checked (expected 2 violations, got 2 violations)\n');
    expect(r.stdout).toContain('PASS no-unverified-refunds › An unverified refund (expected violation, got 1 violation)\n');
    expect(r.stdout).toMatch(/\n7 examples: 7 passed, 0 failed \(7 rules, 2 without examples\)\n$/);
  });

  it('shows the violations of a failing example and exits 1', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'r.yaml'), `rules:
  - id: needs-auth
    condition: "when { db.query } always { auth.check }"
    examples:
      - name: wrongly expected to pass
        expect: pass
        trace: [{ span: db.query, service: db }]
      - expect: violation
        violations: 2
        trace: [{ span: db.query }]
`);
    const r = betrace('test', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL needs-auth › wrongly expected to pass \(expected pass, got 1 violation\)\n {5}needs-auth \(medium\) violated in trace [0-9a-f]{32}\n.*\n {7}reason: {4}missing: auth.check\n {7}trigger: {3}db.query \[db\] [0-9a-f]{16}\n/);
    expect(r.stdout).toMatch(/^FAIL needs-auth › example 2 \(expected 2 violations, got 1 violation\)$/m);
    expect(r.stdout).toMatch(/2 examples: 0 passed, 2 failed \(1 rule\)\n$/);
  });

  it('counts rules whose condition does not parse as failures, with rendered diagnostics', () => {
    const r = betrace('test', 'testdata/bad');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain([
      'FAIL typo-in-block: rule "typo-in-block" has errors in its condition',
      '     error[unknown_block]: unknown block "alway"; a rule is made of when, always and never blocks',
      '      --> testdata/bad/broken-rules.yaml:6:7',
    ].join('\n'));
    expect(r.stderr).toContain('testdata/bad/broken-rules.yaml:10:15: error: unknown severity "urgent"');
  });
});

describe('betrace lint', () => {
  it('prints every diagnostic at its file position and exits 1 on errors', () => {
    const r = betrace('lint', 'testdata/bad/broken-rules.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error[unknown_block]: unknown block "alway"');
    expect(r.stdout).toContain(' --> testdata/bad/broken-rules.yaml:6:7\n  |\n6 |       alway { auth.check }\n  |       ^^^^^\n');
    expect(r.stdout).toContain('info[compat_form]');
    expect(r.stdout).toContain(' --> testdata/bad/broken-rules.yaml:8:40\n');
    expect(r.stdout).toContain('testdata/bad/broken-rules.yaml:13:5: warning: unknown key "serverity"');
    expect(r.stdout).toMatch(/\n3 errors, 1 warning, 1 info in 1 file \(3 rules\)\n$/);
  });

  it('exits 0 when there are only infos', () => {
    const r = betrace('lint', 'testdata/original');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 errors, 0 warnings, 1 info in 1 file \(3 rules\)\n$/);
  });
});

describe('betrace fmt', () => {
  it('--check lists what would change without writing; fmt rewrites only conditions', () => {
    const dir = tempDir();
    cpSync(join(cliDir, 'testdata/rules/payments.yaml'), join(dir, 'payments.yaml'));
    cpSync(join(cliDir, 'testdata/original/betrace-v1.yaml'), join(dir, 'betrace-v1.yaml'));
    const before = readFileSync(join(dir, 'payments.yaml'), 'utf8');
    const check = betrace('fmt', dir, '--check');
    expect(check.code).toBe(1);
    expect(check.stdout).toBe(`${join(dir, 'betrace-v1.yaml')}: would reformat "no-unverified-refunds"\n${join(dir, 'payments.yaml')}: would reformat "pii-needs-auth", "large-payment-fraud-check"\n`);
    expect(readFileSync(join(dir, 'payments.yaml'), 'utf8')).toBe(before);

    expect(betrace('fmt', dir).code).toBe(0);
    const after = readFileSync(join(dir, 'payments.yaml'), 'utf8');
    expect(after).toBe(before.replace('when   { database', 'when { database').replace('when   { p:', 'when { p:'));
    expect(readFileSync(join(dir, 'betrace-v1.yaml'), 'utf8')).toContain('    condition: "never { payment.refund.where(verified == false) }"\n');
    expect(betrace('fmt', dir, '--check')).toMatchObject({ code: 0, stdout: '2 files already formatted\n' });
  });

  it('leaves rules with errors alone and exits 2', () => {
    const dir = tempDir();
    cpSync(join(cliDir, 'testdata/bad/broken-rules.yaml'), join(dir, 'b.yaml'));
    const r = betrace('fmt', join(dir, 'b.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${join(dir, 'b.yaml')}:4:16: error: rule "typo-in-block" not formatted: its condition has errors (run betrace lint)\n`);
    expect(readFileSync(join(dir, 'b.yaml'), 'utf8')).toContain('    condition: "never { payment.refund.where(verified == false) }"\n');
  });
});
