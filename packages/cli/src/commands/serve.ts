import { SETTINGS } from '@betrace/server/settings';
import { EXIT_ERROR, EXIT_OK } from '../io.ts';
import type { Command, OptionSpec } from './command.ts';

const options: OptionSpec = {
  config: { type: 'string', short: 'c' },
  ...Object.fromEntries(SETTINGS.map((s) => [s.flag, { type: 'string' as const }])),
};

const width = Math.max(...SETTINGS.map((s) => s.flag.length)) + 8;

/** `betrace serve`: the long-running service. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run BeTrace: OTLP receivers, trace assembly, rule evaluation, REST API and metrics',
  help: `Usage: betrace serve [--config FILE] [options]

Runs BeTrace until SIGINT or SIGTERM, then stops receiving, evaluates every buffered trace, flushes
violation exports and closes the store.

Settings come from the YAML file given with --config, then BETRACE_* environment variables, then
flags (each overriding the one before). Every setting is described in docs/operations.md.

Options:
  ${'-c, --config FILE'.padEnd(width)}YAML configuration file
${SETTINGS.map((s) => `  ${`--${s.flag} VALUE`.padEnd(width)}${s.help} [${s.env}]`).join('\n')}
  ${'-h, --help'.padEnd(width)}show this help`,
  options,
  async run(args, io) {
    if (args.positionals.length > 0) {
      io.err(`betrace serve: unexpected argument "${args.positionals[0]}" (settings are flags, e.g. --rules ${args.positionals[0]})`);
      return EXIT_ERROR;
    }
    // the server (Fastify, gRPC, SQLite) loads only for this command, keeping the other commands quick
    const { loadConfig, startServer } = await import('@betrace/server');
    const flags = Object.fromEntries(SETTINGS.map((s) => [s.flag, args.values[s.flag] as string | undefined]));
    const file = args.values['config'] as string | undefined;
    const loaded = loadConfig({ ...(file !== undefined ? { file } : {}), env: process.env, flags });
    if (!loaded.ok) {
      io.err(`betrace serve: invalid configuration:\n${loaded.errors.map((e) => `  - ${e}`).join('\n')}`);
      return EXIT_ERROR;
    }
    let server;
    try {
      server = await startServer(loaded.config);
    } catch (e) {
      io.err(`betrace serve: cannot start: ${e instanceof Error ? e.message : String(e)}`);
      return EXIT_ERROR;
    }
    const running = server;
    // A signal often arrives twice: Ctrl-C reaches npm and BeTrace, and npm forwards it again. The
    // handlers stay until the shutdown is done, so a repeat cannot kill the process halfway through
    // evaluating buffered traces and writing violations (the shutdown has its own deadlines).
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (): void => {
        if (stopping) return;
        stopping = true;
        running.close().catch((e: unknown) => {
          io.err(`betrace serve: error while stopping: ${e instanceof Error ? e.message : String(e)}`);
        }).finally(() => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        });
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return EXIT_OK;
  },
};
