import { describe, expect, test } from 'vitest';
import { main } from '../main.ts';
import { demoOptions } from './demo.ts';

const parse = (values: Record<string, string | boolean | undefined>, env: Record<string, string> = {}) => demoOptions({ positionals: [], values }, env);

describe('betrace demo options', () => {
  test('defaults', () => {
    const r = parse({ seed: '9' });
    expect(r).toEqual({
      ok: true,
      value: { endpoint: 'http://localhost:4318', protocol: 'http/protobuf', rate: 5, seed: 9, violationRate: 0.1, api: 'http://localhost:12011', apiKey: undefined, skipRules: false },
    });
  });

  test.each([
    { input: { duration: '10s' }, want: { durationMs: 10_000 } },
    { input: { duration: '1.5m' }, want: { durationMs: 90_000 } },
    { input: { protocol: 'grpc' }, want: { protocol: 'grpc', endpoint: 'http://localhost:4317' } },
    { input: { protocol: 'http/json', endpoint: 'http://collector:4318' }, want: { protocol: 'http/json', endpoint: 'http://collector:4318' } },
    { input: { rate: '250', 'violation-rate': '0.5' }, want: { rate: 250, violationRate: 0.5 } },
    { input: { 'api-key': 'btk_x', 'skip-rules': true }, want: { apiKey: 'btk_x', skipRules: true } },
  ])('$input', ({ input, want }) => {
    expect(parse(input)).toMatchObject({ ok: true, value: want });
  });

  test('the key may come from BETRACE_API_KEY; the flag wins', () => {
    expect(parse({}, { BETRACE_API_KEY: 'btk_env' })).toMatchObject({ value: { apiKey: 'btk_env' } });
    expect(parse({ 'api-key': 'btk_flag' }, { BETRACE_API_KEY: 'btk_env' })).toMatchObject({ value: { apiKey: 'btk_flag' } });
  });

  test.each([
    { input: { protocol: 'udp' }, want: '--protocol must be one of http/protobuf, http/json, grpc' },
    { input: { rate: '0' }, want: '--rate must be a number of requests per second above 0' },
    { input: { rate: 'fast' }, want: '--rate must be' },
    { input: { 'violation-rate': '10' }, want: '--violation-rate must be a share from 0 to 1' },
    { input: { duration: '10' }, want: '--duration must be a duration like 30s' },
    { input: { seed: '-1' }, want: '--seed must be a whole number' },
    { input: { endpoint: 'localhost:4318' }, want: '--endpoint must be an http(s) URL' },
    { input: { api: 'ftp://x' }, want: '--api must be an http(s) URL like http://localhost:12011' },
  ])('refuses $input', ({ input, want }) => {
    const r = parse(input);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toContain(want);
  });

  test('listed in betrace --help; bad options exit 2 with the reason', async () => {
    const out: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t) };
    expect(await main(['--help'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/demo\s+simulate a payments company/);
    out.length = 0;
    expect(await main(['demo', '--rate', 'lots'], io)).toBe(2);
    expect(out.join('\n')).toContain('betrace demo: --rate must be');
    out.length = 0;
    expect(await main(['demo', '--help'], io)).toBe(0);
    for (const flag of ['--endpoint', '--protocol', '--rate', '--duration', '--violation-rate', '--seed', '--api', '--api-key', '--skip-rules']) expect(out.join('\n')).toContain(flag);
  });
});
