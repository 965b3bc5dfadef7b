// Starts the real `betrace serve` as a child process, the way an operator runs it, and stops it with
// SIGTERM. Every process started here is killed by `stopAll()` (call it in afterAll) or, failing
// that, when the test process exits.
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

const REPO = resolve(import.meta.dirname, '../..');
const CLI = join(REPO, 'packages/cli/src/main.ts');
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 20_000;

/** A running BeTrace: its real ports, the admin key it printed (first start only) and its output. */
export interface BetraceProcess {
  ports: { otlpGrpc: number; otlpHttp: number; api: number };
  /** `http://127.0.0.1:<api port>` */
  apiUrl: string;
  adminKey: string | undefined;
  /** Every stdout/stderr line so far (JSON log lines and the admin key box). */
  output: string[];
  /** SIGTERM, then waits for the exit; resolves with the exit code (SIGKILL after a timeout). */
  stop(): Promise<number | null>;
  /** Sends a signal and returns at once. */
  signal(name: NodeJS.Signals): void;
}

const running = new Set<ChildProcessByStdio<null, Readable, Readable>>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A fresh data directory. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'betrace-e2e-'));
}

/** Runs `betrace serve` on `dataDir` with ports 0 on 127.0.0.1 plus `args`; resolves once it is ready. */
export function startBetrace(dataDir: string, args: readonly string[] = []): Promise<BetraceProcess> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BETRACE_')));
  const child = spawn(process.execPath, [
    CLI, 'serve', '--data-dir', dataDir, '--host', '127.0.0.1',
    '--otlp-grpc-port', '0', '--otlp-http-port', '0', '--api-port', '0', ...args,
  ], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => {
    running.delete(child);
    done(code);
  }));
  const output: string[] = [];
  let adminKey: string | undefined;

  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  return new Promise((ready, fail) => {
    const timer = setTimeout(() => {
      void stop();
      fail(new Error(`betrace serve was not ready within ${READY_TIMEOUT_MS} ms; output:\n${output.join('\n')}`));
    }, READY_TIMEOUT_MS);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`betrace serve exited with ${code} before it was ready; output:\n${output.join('\n')}`));
    });
    createInterface({ input: child.stderr }).on('line', (line) => output.push(line));
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      adminKey ??= /\b(btk_[0-9A-Za-z]{40})\b/.exec(line)?.[1];
      const log = parseJson(line);
      if (log?.['msg'] !== 'BeTrace is ready') return;
      clearTimeout(timer);
      const ports = { otlpGrpc: Number(log['otlpGrpc']), otlpHttp: Number(log['otlpHttp']), api: Number(log['api']) };
      ready({ ports, apiUrl: `http://127.0.0.1:${ports.api}`, adminKey, output, stop, signal: (name) => void child.kill(name) });
    });
  });
}

/** Stops every BeTrace still running (for afterAll). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS).unref();
  })));
}

function parseJson(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
