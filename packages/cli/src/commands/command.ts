import type { Io } from '../io.ts';

/** Option definitions in the shape `node:util` parseArgs takes. */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** Parsed command line of one command. */
export interface CommandArgs {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
}

/** One `betrace <name>` command. */
export interface Command {
  name: string;
  /** One line for the command list in `betrace --help`. */
  summary: string;
  /** Full text for `betrace <name> --help`. */
  help: string;
  options: OptionSpec;
  /** Runs the command and returns the exit code; bad input is reported on `io.err`, never thrown. */
  run(args: CommandArgs, io: Io): Promise<number>;
}
