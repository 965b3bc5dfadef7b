// Test support: a real ServerContext around memory stores, wired the way server.ts wires it, with
// ports 0 and a silent logger. Not imported by production code.
import { TraceAssembler } from '@betrace/engine';
import { MemoryStores } from '@betrace/store';
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

/** A ServerContext for receiver tests; `ready` can be flipped to test shutdown answers. */
export interface ReceiverTestContext extends ServerContext {
  ready: boolean;
}

/** Builds a context from a partial YAML-shaped config (listen ports default to 0 on 127.0.0.1). */
export function receiverTestContext(overrides: Record<string, unknown> = {}): ReceiverTestContext {
  const config: Config = configSchema.parse({
    store: 'memory:',
    listen: { host: '127.0.0.1', otlpGrpcPort: 0, otlpHttpPort: 0, apiPort: 0 },
    logLevel: 'silent',
    ...overrides,
  });
  const logger = pino({ level: 'silent' });
  const stores = new MemoryStores();
  const metrics = new Metrics({ defaultMetrics: false });
  const events = new ViolationEvents();
  const signer = new Signer('test-signing-key-0123456789');
  const rules = new RuleRegistry(stores.rules, logger);
  const assembler = new TraceAssembler({ quietPeriodMs: 60_000, idleTimeoutMs: 60_000, maxTraceAgeMs: 600_000, maxSpansPerTrace: config.assembly.maxSpansPerTrace });
  metrics.observeAssembler(assembler);
  const recorder = new ViolationRecorder({
    store: stores.violations, signer, redactor: new Redactor(config.redaction), metrics, logger, events, rules,
    maxPending: config.limits.maxPendingViolations,
  });
  const pipeline = new Pipeline({ assembler, rules, recorder, metrics, logger });
  const ctx: ReceiverTestContext = {
    config, logger, stores, rules, assembler, pipeline, recorder, metrics, signer, events, ready: true,
    isReady: () => ctx.ready,
  };
  return ctx;
}

/** The value of one counter series, e.g. `counter(ctx, 'betrace_spans_received_total', { protocol: 'grpc' })`. */
export async function counter(ctx: { metrics: Metrics }, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = ctx.metrics.registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  let sum = 0;
  for (const v of values) {
    if (Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want)) sum += v.value;
  }
  return sum;
}
