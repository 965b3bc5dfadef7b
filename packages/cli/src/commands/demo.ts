import { parseExampleDuration } from '@betrace/rulepack';
import { EXIT_ERROR, EXIT_OK } from '../io.ts';
import type { DemoOptions } from '../demo/run-demo.ts';
import { PROTOCOLS, type Protocol, defaultEndpoint } from '../demo/protocol.ts';
import type { Command, CommandArgs } from './command.ts';

const DEFAULT_API = 'http://localhost:12011';

/** `betrace demo`: a simulated payments company sending real OpenTelemetry traces to BeTrace. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'simulate a payments company sending OpenTelemetry traces, some breaking the demo rules',
  help: `Usage: betrace demo [options]

Simulates a payments company — api-gateway, accounts, ledger, fraud and notifications, each its
own OpenTelemetry resource — serving transfers, debits, credits, balance checks and audit-log reads,
instrumented with the OpenTelemetry JS SDK and exported over OTLP to a running BeTrace.

A share of the requests (--violation-rate) break one invariant on purpose:
  transfer-without-balance-check   a transfer debits without checking the balance
  debit-without-audit-log          a debit leaves no audit entry
  fraud-check-after-charge         the fraud check runs after the money moved
  retry-storm                      more than 3 resends (http.retry) in one request
  pii-read-without-authorization   personal data is read with no authorization check

On start the demo installs its rule pack (rules demo-…, one per breakage) into BeTrace through
the API, unless the rules are there already. Every 5 s it prints the requests sent and those
broken on purpose; at the end (--duration, or Ctrl-C) it flushes the exporter and prints a summary.

Options:
  --endpoint URL         OTLP endpoint (default http://localhost:4318; with --protocol grpc
                         http://localhost:4317)
  --protocol P           http/protobuf (default), http/json or grpc
  --rate N               requests per second (default 5)
  --duration D           stop after D, e.g. 30s or 2m (default: until Ctrl-C)
  --violation-rate R     share of requests that break an invariant, 0 to 1 (default 0.1)
  --seed N               seed of the simulation, to repeat a run (default: random, printed)
  --api URL              BeTrace REST API, for installing the rules (default ${DEFAULT_API})
  --api-key KEY          API key with the editor role [BETRACE_API_KEY]; not needed when the
                         server runs with --auth none
  --skip-rules           do not install the rule pack, only send traces
  -h, --help             show this help

Exit status: 0 after a run, 2 bad options or the API refused the rules.`,
  options: {
    endpoint: { type: 'string' },
    protocol: { type: 'string' },
    rate: { type: 'string' },
    duration: { type: 'string' },
    'violation-rate': { type: 'string' },
    seed: { type: 'string' },
    api: { type: 'string' },
    'api-key': { type: 'string' },
    'skip-rules': { type: 'boolean' },
  },
  async run(args, io) {
    const parsed = demoOptions(args, process.env);
    if (!parsed.ok) {
      io.err(`betrace demo: ${parsed.message} (see betrace demo --help)`);
      return EXIT_ERROR;
    }
    const { runDemo } = await import('../demo/run-demo.ts');
    const abort = new AbortController();
    const stop = (): void => {
      io.err('demo: stopping; flushing the exporter');
      abort.abort();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const result = await runDemo({ ...parsed.value, signal: abort.signal }, io);
      if (!result.ok) {
        io.err(`betrace demo: ${result.message}`);
        return EXIT_ERROR;
      }
      return EXIT_OK;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};

/** Validates the command line; every problem says what was expected. */
export function demoOptions(args: CommandArgs, env: Readonly<Record<string, string | undefined>>): { ok: true; value: DemoOptions } | { ok: false; message: string } {
  const v = args.values;
  const text = (name: string): string | undefined => (typeof v[name] === 'string' ? v[name] : undefined);
  if (args.positionals.length > 0) return { ok: false, message: `unexpected argument "${args.positionals[0]}"` };
  const protocol = text('protocol') ?? 'http/protobuf';
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) return { ok: false, message: `--protocol must be one of ${PROTOCOLS.join(', ')}, got "${protocol}"` };
  const rate = Number(text('rate') ?? '5');
  if (!(Number.isFinite(rate) && rate > 0 && rate <= 100_000)) return { ok: false, message: `--rate must be a number of requests per second above 0, got "${text('rate')}"` };
  const violationRate = Number(text('violation-rate') ?? '0.1');
  if (!(Number.isFinite(violationRate) && violationRate >= 0 && violationRate <= 1)) return { ok: false, message: `--violation-rate must be a share from 0 to 1 (0.1 = 10%), got "${text('violation-rate')}"` };
  const seedText = text('seed');
  const seed = seedText === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(seedText);
  if (!Number.isSafeInteger(seed) || seed < 0) return { ok: false, message: `--seed must be a whole number, got "${seedText}"` };
  let durationMs: number | undefined;
  const durationText = text('duration');
  if (durationText !== undefined) {
    const ns = parseExampleDuration(durationText);
    if (ns === undefined || ns <= 0n) return { ok: false, message: `--duration must be a duration like 30s, 2m or 1h, got "${durationText}"` };
    durationMs = Number(ns) / 1e6;
  }
  const endpoint = text('endpoint') ?? defaultEndpoint(protocol as Protocol);
  const api = text('api') ?? DEFAULT_API;
  for (const [flag, url] of [['--endpoint', endpoint], ['--api', api]] as const) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) return { ok: false, message: `${flag} must be an http(s) URL like ${flag === '--api' ? DEFAULT_API : 'http://localhost:4318'}, got "${url}"` };
  }
  const apiKey = text('api-key') ?? env['BETRACE_API_KEY'];
  return {
    ok: true,
    value: {
      endpoint, protocol: protocol as Protocol, rate, seed, violationRate, api, apiKey: apiKey === '' ? undefined : apiKey,
      skipRules: v['skip-rules'] === true, ...(durationMs === undefined ? {} : { durationMs }),
    },
  };
}
