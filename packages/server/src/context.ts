import type { Stores } from '@betrace/store';
import type { Logger } from 'pino';
import type { Config } from './config/schema.ts';
import type { Metrics } from './metrics/metrics.ts';
import type { PipelineRuntime } from './pipeline/runtime.ts';
import type { ViolationEvents } from './pipeline/violation-events.ts';
import type { ViolationWriter } from './pipeline/violation-writer.ts';
import type { RuleRegistry } from './rules/rule-registry.ts';
import type { Signer } from './signing/signer.ts';

/** Everything a receiver or route handler may use; built once by `startServer`. */
export interface ServerContext {
  config: Config;
  logger: Logger;
  stores: Stores;
  rules: RuleRegistry;
  /** Decoding, assembly and evaluation: on the main thread, or sharded across worker threads. */
  runtime: PipelineRuntime;
  writer: ViolationWriter;
  metrics: Metrics;
  signer: Signer;
  events: ViolationEvents;
  /** True once the store is open and every receiver listens; false again while shutting down. */
  isReady(): boolean;
}
