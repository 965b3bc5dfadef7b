import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkCommand } from './commands/check.ts';
import type { Command } from './commands/command.ts';
import { demoCommand } from './commands/demo.ts';
import { fmtCommand } from './commands/fmt.ts';
import { keysCommand } from './commands/keys.ts';
import { lintCommand } from './commands/lint.ts';
import { serveCommand } from './commands/serve.ts';
import { testCommand } from './commands/test.ts';
import { EXIT_ERROR, EXIT_OK, processIo } from './io.ts';
import type { Io } from './io.ts';

const COMMANDS: readonly Command[] = [serveCommand, checkCommand, testCommand, fmtCommand, lintCommand, keysCommand, demoCommand];

function version(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : 'unknown';
}

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: betrace <command> [options]

BeTrace evaluates behavioural invariants (BeTraceDSL rules in YAML files) over OpenTelemetry traces.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  -h, --help     show this help (or "betrace <command> --help" for one command)
  -V, --version  print the version

Exit status: 0 success, 1 findings (violations, failed examples, errors, unformatted files),
2 usage error or input that did not load.`;
}

/** Runs the `betrace` command line and returns the exit code; never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    // Only a bug gets here: one line, no stack trace.
    io.err(`betrace: internal error: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT_ERROR;
  }
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    const topic = first === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    if (first === undefined) {
      io.err(usage());
      return EXIT_ERROR;
    }
    io.out(topic ? topic.help : usage());
    return EXIT_OK;
  }
  if (first === '-V' || first === '--version') {
    io.out(`betrace ${version()}`);
    return EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) {
    io.err(`betrace: unknown command "${first}"; expected one of ${COMMANDS.map((c) => c.name).join(', ')} (see betrace --help)`);
    return EXIT_ERROR;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    io.err(`betrace ${command.name}: ${e instanceof Error ? e.message : String(e)} (see betrace ${command.name} --help)`);
    return EXIT_ERROR;
  }
  if (parsed.values['help']) {
    io.out(command.help);
    return EXIT_OK;
  }
  return command.run({ positionals: parsed.positionals, values: parsed.values }, io);
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2), processIo);
