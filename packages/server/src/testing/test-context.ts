import { TraceAssembler } from '@betrace/engine';
import { MemoryStores, type Stores } from '@betrace/store';
import { pino } from 'pino';
import { type Config, configSchema } from '../config/schema.ts';
import type { ServerContext } from '../context.ts';
import { Metrics } from '../metrics/metrics.ts';
import { Pipeline } from '../pipeline/pipeline.ts';
import { ViolationEvents } from '../pipeline/violation-events.ts';
import { ViolationRecorder } from '../pipeline/violation-recorder.ts';
import { Redactor } from '../redaction/redactor.ts';
import { RuleRegistry } from '../rules/rule-registry.ts';
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
  const config: Config = configSchema.parse({ store: 'memory:', listen: { host: '127.0.0.1', apiPort: 0 }, ...options.config });
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const stores = options.stores ?? new MemoryStores();
  const metrics = new Metrics({ defaultMetrics: false });
  const events = new ViolationEvents();
  const signer = new Signer('test-signing-key-0123456789');
  const rules = new RuleRegistry(stores.rules, logger);
  rules.onChange(() => metrics.activeRules.set(rules.active.length));
  await rules.reload();
  const a = config.assembly;
  const assembler = new TraceAssembler({
    quietPeriodMs: a.quietPeriod, idleTimeoutMs: a.idleTimeout, maxTraceAgeMs: a.maxTraceAge, maxTraces: a.maxTraces,
    maxSpansPerTrace: a.maxSpansPerTrace, maxBytes: a.maxBufferedBytes, lateWindowMs: a.lateWindow,
    recentTraces: a.recentTraces, recentTraceMs: a.recentTraceAge, recentBytes: a.recentBytes,
  });
  metrics.observeAssembler(assembler);
  const recorder = new ViolationRecorder({
    store: stores.violations, signer, redactor: new Redactor(config.redaction), metrics, logger, events, rules,
    maxPending: config.limits.maxPendingViolations,
  });
  const pipeline = new Pipeline({ assembler, rules, recorder, metrics, logger });
  let ready = options.ready ?? true;
  const ctx: ServerContext = {
    config, logger, stores, rules, assembler, pipeline, recorder, metrics, signer, events, isReady: () => ready,
  };
  return { ctx, stores, logs, setReady: (r) => void (ready = r) };
}
