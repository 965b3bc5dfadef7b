import { TraceAssembler } from '@betrace/engine';
import type { Stores } from '@betrace/store';
import type { Logger } from 'pino';
import type { Config } from './config/schema.ts';
import type { ServerContext } from './context.ts';
import type { Metrics } from './metrics/metrics.ts';
import { Pipeline } from './pipeline/pipeline.ts';
import { ViolationEvents } from './pipeline/violation-events.ts';
import { type ViolationSink, ViolationRecorder } from './pipeline/violation-recorder.ts';
import { Redactor } from './redaction/redactor.ts';
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

/** Wires the pipeline (rules, assembler, recorder) the one way the server and the tests both use. */
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
  const a = config.assembly;
  const assembler = new TraceAssembler({
    quietPeriodMs: a.quietPeriod, idleTimeoutMs: a.idleTimeout, maxTraceAgeMs: a.maxTraceAge, maxTraces: a.maxTraces,
    maxSpansPerTrace: a.maxSpansPerTrace, maxBytes: a.maxBufferedBytes, lateWindowMs: a.lateWindow,
    recentTraces: a.recentTraces, recentTraceMs: a.recentTraceAge, recentBytes: a.recentBytes,
  });
  metrics.observeAssembler(assembler);
  const recorder = new ViolationRecorder({
    store: stores.violations, signer, redactor: new Redactor(config.redaction), metrics, logger, events, rules,
    maxPending: config.limits.maxPendingViolations, ...(sink ? { sink } : {}),
  });
  const pipeline = new Pipeline({ assembler, rules, recorder, metrics, logger });
  return { config, logger, stores, rules, assembler, pipeline, recorder, metrics, signer, events, isReady };
}
