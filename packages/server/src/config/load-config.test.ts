import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.ts';

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'betrace-config-')), 'betrace.yaml');
  writeFileSync(path, text);
  return path;
}

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const r = loadConfig({});
    expect(r.ok && r.config).toMatchObject({
      dataDir: './data', auth: 'apikey',
      listen: { otlpGrpcPort: 4317, otlpHttpPort: 4318, apiPort: 12011 },
      assembly: { quietPeriod: 2_000, idleTimeout: 10_000, maxTraceAge: 60_000, lateWindow: 300_000, recentTraces: 10_000, recentTraceAge: 900_000 },
      retention: { violations: 30 * 86_400_000 },
    });
  });

  it('layers file < environment < flags', () => {
    const path = file('dataDir: /from/file\nassembly:\n  quietPeriod: 5s\n  idleTimeout: 20s\nlisten:\n  apiPort: 1000\n');
    const r = loadConfig({
      file: path,
      env: { BETRACE_DATA_DIR: '/from/env', BETRACE_QUIET_PERIOD: '3s', UNRELATED: 'x' },
      flags: { 'data-dir': '/from/flag' },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.dataDir).toBe('/from/flag');
    expect(r.config.assembly.quietPeriod).toBe(3_000);
    expect(r.config.assembly.idleTimeout).toBe(20_000);
    expect(r.config.listen.apiPort).toBe(1000);
  });

  it('reads sizes and durations in their units', () => {
    const r = loadConfig({ file: file('assembly:\n  maxBufferedBytes: 64MiB\nlimits:\n  maxBodyBytes: 512KiB\nretention:\n  violations: 7d\n') });
    expect(r.ok && [r.config.assembly.maxBufferedBytes, r.config.limits.maxBodyBytes, r.config.retention.violations])
      .toEqual([64 * 1024 ** 2, 512 * 1024, 7 * 86_400_000]);
  });

  it.each([
    [{ env: { BETRACE_QUIET_PERIOD: 'soon' } }, 'environment variable BETRACE_QUIET_PERIOD: expected a duration'],
    [{ flags: { 'api-port': '70000' } }, 'flag --api-port: expected a port from 0 to 65535'],
    [{ flags: { auth: 'maybe' } }, 'flag --auth'],
    [{ flags: { 'export-endpoint': 'not a url' } }, 'flag --export-endpoint: expected an http(s) URL'],
  ])('names the source of a bad value: %j', (sources, want) => {
    const r = loadConfig(sources);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.join('\n')).toContain(want);
  });

  it('rejects unknown settings in the file, naming them', () => {
    const r = loadConfig({ file: file('assembly:\n  quietPeriood: 2s\n') });
    expect(!r.ok && r.errors.join('\n')).toMatch(/assembly: unknown setting\(s\) quietPeriood/);
  });

  it('reports every problem at once', () => {
    const r = loadConfig({ flags: { 'api-port': 'x', 'quiet-period': 'y', 'log-level': 'loud' } });
    expect(!r.ok && r.errors).toHaveLength(3);
  });

  it('explains a missing or broken file', () => {
    expect(loadConfig({ file: '/nonexistent/betrace.yaml' })).toMatchObject({ ok: false, errors: [expect.stringContaining('cannot read config file')] });
    expect(loadConfig({ file: file('a: [') })).toMatchObject({ ok: false, errors: [expect.stringContaining('not valid YAML')] });
  });
});
