import { MemoryStores, type Stores } from '@betrace/store';
import { pino } from 'pino';
import { buildContext } from '../build-context.ts';
import { type Config, configSchema } from '../config/schema.ts';
import type { ServerContext } from '../context.ts';
import { LocalRuntime } from '../pipeline/runtime.ts';
import type { TraceShard } from '../pipeline/trace-shard.ts';
import { Metrics } from '../metrics/metrics.ts';
import { Signer } from '../signing/signer.ts';

export interface TestContextOptions {
  /** Raw config overrides, validated by the real schema (e.g. `{ auth: 'none' }`). */
  config?: Record<string, unknown>;
  stores?: Stores;
  ready?: boolean;
}

/** A test context: the real wiring of `startServer`, in memory, listening on nothing. */
export interface TestContext {
  ctx: ServerContext;
  stores: Stores;
  /** Every log line as parsed JSON, to assert on what was logged. */
  logs: Array<Record<string, unknown>>;
  setReady(ready: boolean): void;
}

/** Builds a ServerContext the way server.ts does, around MemoryStores (or the stores given). */
export async function buildTestContext(options: TestContextOptions = {}): Promise<TestContext> {
  // `workers: 0` unless asked: most tests look inside the main thread's shard (`localShard`)
  const config: Config = configSchema.parse({ store: 'memory:', workers: 0, listen: { host: '127.0.0.1', apiPort: 0 }, ...options.config });
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const stores = options.stores ?? new MemoryStores();
  let ready = options.ready ?? true;
  const ctx = await buildContext({
    config, logger, stores, signer: new Signer('test-signing-key-0123456789'), metrics: new Metrics({ defaultMetrics: false }), isReady: () => ready,
  });
  return { ctx, stores, logs, setReady: (r) => void (ready = r) };
}

/** The main-thread shard of a context built with `workers: 0` (the test default): its assembler and pipeline. */
export function localShard(ctx: ServerContext): TraceShard {
  if (!(ctx.runtime instanceof LocalRuntime)) throw new Error('this test needs a context with workers: 0');
  return ctx.runtime.shard;
}
