import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, configSchema, startServer } from '@betrace/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BREAKAGES, RULE_FOR_BREAKAGE } from './plan.ts';
import { type DemoOptions, runDemo } from './run-demo.ts';
import { PROTOCOLS } from './protocol.ts';

let server: RunningServer;
let dataDir: string;
let api: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'betrace-demo-'));
  server = await startServer(configSchema.parse({
    dataDir, auth: 'none', logLevel: 'silent',
    listen: { host: '127.0.0.1', otlpGrpcPort: 0, otlpHttpPort: 0, apiPort: 0 },
    assembly: { quietPeriod: '1s' },
  }));
  api = `http://127.0.0.1:${server.ports.api}`;
});

afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function options(o: Partial<DemoOptions>): DemoOptions {
  return {
    endpoint: `http://127.0.0.1:${server.ports.otlpHttp}`, protocol: 'http/protobuf', rate: 100, durationMs: 2000, seed: 1,
    violationRate: 0.5, api, apiKey: undefined, skipRules: false, summaryEveryMs: 1000, ...o,
  };
}

async function violationCount(query: string): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    const page = await (await fetch(`${api}/api/v1/violations?limit=1000&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json() as { items: unknown[]; nextCursor: string | null };
    n += page.items.length;
    cursor = page.nextCursor;
  } while (cursor !== null);
  return n;
}

describe('betrace demo against a real server', () => {
  test('installs its rules, and every request broken on purpose becomes exactly one violation of its rule', async () => {
    const lines: string[] = [];
    const io = { out: (t: string) => void lines.push(t), err: (t: string) => void lines.push(t) };
    const result = await runDemo(options({}), io);
    if (!result.ok) throw new Error(result.message);
    expect(result.tally.requests).toBeGreaterThanOrEqual(190);
    expect(result.exported.failedSpans).toBe(0);
    expect(lines[0]).toMatch(/^demo: installed 5 rules into /);
    expect(lines.at(-1)).toMatch(/^demo: \d+\.\ds, \d+ requests sent, \d+ broken on purpose \(/);

    const want = Object.fromEntries(BREAKAGES.map((b) => [RULE_FOR_BREAKAGE[b], result.tally.broken[b]]));
    for (const n of Object.values(want)) expect(n).toBeGreaterThan(0);
    await expect.poll(async () => {
      const got: Record<string, number> = {};
      for (const rule of Object.keys(want)) got[rule] = await violationCount(`ruleId=${rule}`);
      return got;
    }, { timeout: 15_000, interval: 250 }).toEqual(want);
    // Nothing else: the healthy requests broke no rule.
    expect(await violationCount('')).toBe(Object.values(want).reduce((a, b) => a + b, 0));

    // A second run finds the rules in place and leaves them alone.
    const again: string[] = [];
    const second = await runDemo(options({ durationMs: 100 }), { out: (t) => void again.push(t), err: (t) => void again.push(t) });
    expect(second.ok).toBe(true);
    expect(again[0]).toMatch(/^demo: rules already in BeTrace, left as they are: demo-/);
  }, 30_000);

  test.each(PROTOCOLS)('exports over %s', async (protocol) => {
    const endpoint = `http://127.0.0.1:${protocol === 'grpc' ? server.ports.otlpGrpc : server.ports.otlpHttp}`;
    const result = await runDemo(options({ protocol, endpoint, durationMs: 300, skipRules: true }), { out: () => {}, err: () => {} });
    if (!result.ok) throw new Error(result.message);
    expect(result.exported.failedSpans).toBe(0);
    expect(result.exported.exportedSpans).toBeGreaterThan(0);
  });

  test('an API that wants a key: a clear message, nothing sent', async () => {
    const locked = await startServer(configSchema.parse({
      dataDir: join(dataDir, 'locked'), auth: 'apikey', logLevel: 'silent', listen: { host: '127.0.0.1', otlpGrpcPort: 0, otlpHttpPort: 0, apiPort: 0 },
    }));
    try {
      const result = await runDemo(options({ api: `http://127.0.0.1:${locked.ports.api}` }), { out: () => {}, err: () => {} });
      expect(result).toMatchObject({ ok: false, message: expect.stringContaining('Pass an editor API key with --api-key or BETRACE_API_KEY') });
      const wrong = await runDemo(options({ api: `http://127.0.0.1:${locked.ports.api}`, apiKey: 'btk_nope' }), { out: () => {}, err: () => {} });
      expect(wrong).toMatchObject({ ok: false, message: expect.stringContaining('unknown or revoked') });
      const down = await runDemo(options({ api: 'http://127.0.0.1:1' }), { out: () => {}, err: () => {} });
      expect(down).toMatchObject({ ok: false, message: expect.stringContaining('cannot reach the BeTrace API at http://127.0.0.1:1') });
    } finally {
      await locked.close();
    }
  });
});
