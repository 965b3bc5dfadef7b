/** Where a command writes: standard output for results, standard error for problems. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
/** Violations found (`check`), examples failed (`test`), files would change (`fmt --check`), errors (`lint`). */
export const EXIT_FINDINGS = 1;
/** Bad usage, unreadable input, or an internal error. */
export const EXIT_ERROR = 2;

/** Writes to the process streams. */
export const processIo: Io = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
};
