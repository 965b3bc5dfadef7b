import type { Stores } from '@betrace/store';
import type { Logger } from 'pino';
import type { Config } from './config/schema.ts';
import type { ServerContext } from './context.ts';
import type { Metrics } from './metrics/metrics.ts';
import { LocalRuntime, type PipelineRuntime } from './pipeline/runtime.ts';
import { TraceShard } from './pipeline/trace-shard.ts';
import { ViolationEvents } from './pipeline/violation-events.ts';
import { type ViolationSink, ViolationWriter } from './pipeline/violation-writer.ts';
import { WorkerPool, workerCount } from './pipeline/workers/worker-pool.ts';
import { RuleRegistry } from './rules/rule-registry.ts';
import type { Signer } from './signing/signer.ts';

/** What the caller opens or chooses; everything else in the context is built from it. */
export interface ContextParts {
  config: Config;
  logger: Logger;
  stores: Stores;
  signer: Signer;
  metrics: Metrics;
  sink?: ViolationSink;
  isReady: () => boolean;
}

/** Wires the pipeline (rules, runtime, writer) the one way the server and the tests both use. */
export async function buildContext(parts: ContextParts): Promise<ServerContext> {
  const { config, logger, stores, signer, metrics, sink, isReady } = parts;
  const events = new ViolationEvents();
  const rules = new RuleRegistry(stores.rules, logger);
  rules.onChange(() => {
    metrics.activeRules.set(rules.active.length);
    // every active rule has its violation series from the start, so rate() and alerts see the first one
    for (const r of rules.active) metrics.violations.inc({ rule_id: r.stored.id, severity: r.stored.severity }, 0);
  });
  await rules.reload();
  const writer = new ViolationWriter({
    store: stores.violations, metrics, logger, events, maxPending: config.limits.maxPendingViolations, ...(sink ? { sink } : {}),
  });
  let runtime: PipelineRuntime;
  const workers = workerCount(config.workers);
  if (workers > 0) {
    runtime = await WorkerPool.start({ config, rules, metrics, logger, signer, writer, count: workers });
  } else {
    const shard = new TraceShard({ config, rules, metrics, logger, signer, outbox: writer, exportSpans: writer.exports });
    runtime = new LocalRuntime(shard, writer, metrics, config);
  }
  return { config, logger, stores, rules, runtime, writer, metrics, signer, events, isReady };
}
