import type { Trace } from '@betrace/engine';
import type { Metrics } from '../metrics/metrics.ts';
import type { Config } from '../config/schema.ts';
import { type IngestAnswer, type Protocol, type SpanIntake, answerFor } from '../receivers/ingest-request.ts';
import type { ShardStatus, TraceShard } from './trace-shard.ts';
import type { ViolationWriter } from './violation-writer.ts';

/** The traces a shard keeps, as the API reads them (from this thread or from worker threads). */
export interface TraceAccess {
  /** Recently completed traces, newest first. */
  recent(limit: number): Promise<Trace[]>;
  /** One recently completed trace, if still kept. */
  get(traceId: string): Promise<Trace | undefined>;
  status(): Promise<ShardStatus>;
}

/**
 * Where decoding, assembly and evaluation run: `LocalRuntime` on the main thread (`workers: 0`), or
 * `WorkerPool` sharding traces across worker threads. The writer is on the main thread either way.
 */
export interface PipelineRuntime extends SpanIntake, TraceAccess {
  /** Every Prometheus metric, including those the workers keep. */
  metricsText(): Promise<string>;
  /** Called every `TICK_MS` on the main thread (workers tick on their own). */
  tick(): void;
  /** Shutdown: evaluates everything buffered; the violations are in the writer when it resolves. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** Everything on the main thread: one shard holding every trace. */
export class LocalRuntime implements PipelineRuntime {
  readonly shard: TraceShard;
  readonly sharedBodies = false;
  private readonly writer: ViolationWriter;
  private readonly metrics: Metrics;
  private readonly config: Config;

  constructor(shard: TraceShard, writer: ViolationWriter, metrics: Metrics, config: Config) {
    this.shard = shard;
    this.writer = writer;
    this.metrics = metrics;
    this.config = config;
  }

  ingest(protocol: Protocol, body: Uint8Array): IngestAnswer {
    const r = this.shard.ingest(protocol, body, !this.writer.full);
    if (!r.ok) return { kind: 'invalid', message: r.message };
    return answerFor(this.metrics, this.config, protocol, r.report, r.outcome);
  }

  recent(limit: number): Promise<Trace[]> {
    return Promise.resolve(this.shard.recent(limit).map((r) => r.trace));
  }

  get(traceId: string): Promise<Trace | undefined> {
    return Promise.resolve(this.shard.trace(traceId));
  }

  status(): Promise<ShardStatus> {
    return Promise.resolve(this.shard.status());
  }

  metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  tick(): void {
    this.shard.pipeline.tick();
  }

  drain(): Promise<void> {
    this.shard.pipeline.drain();
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.shard.close();
    return Promise.resolve();
  }
}

