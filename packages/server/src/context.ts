import type { TraceAssembler } from '@betrace/engine';
import type { Stores } from '@betrace/store';
import type { Logger } from 'pino';
import type { Config } from './config/schema.ts';
import type { Metrics } from './metrics/metrics.ts';
import type { Pipeline } from './pipeline/pipeline.ts';
import type { ViolationEvents } from './pipeline/violation-events.ts';
import type { ViolationRecorder } from './pipeline/violation-recorder.ts';
import type { RuleRegistry } from './rules/rule-registry.ts';
import type { Signer } from './signing/signer.ts';

/** Everything a receiver or route handler may use; built once by `startServer`. */
export interface ServerContext {
  config: Config;
  logger: Logger;
  stores: Stores;
  rules: RuleRegistry;
  assembler: TraceAssembler;
  pipeline: Pipeline;
  recorder: ViolationRecorder;
  metrics: Metrics;
  signer: Signer;
  events: ViolationEvents;
  /** True once the store is open and every receiver listens; false again while shutting down. */
  isReady(): boolean;
}
