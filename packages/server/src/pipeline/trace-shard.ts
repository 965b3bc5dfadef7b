import { type Trace, TraceAssembler } from '@betrace/engine';
import type { IngestLimits, IngestReport, Shard } from '@betrace/otlp';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { Redactor } from '../redaction/redactor.ts';
import { AttributeFilter } from '../receivers/attribute-filter.ts';
import { type Protocol, decodeBody, ingestLimits } from '../receivers/ingest-request.ts';
import type { RuleRegistry } from '../rules/rule-registry.ts';
import type { Signer } from '../signing/signer.ts';
import { type IngestOutcome, Pipeline } from './pipeline.ts';
import { ViolationRecorder } from './violation-recorder.ts';
import type { RecordOutbox } from './violation-writer.ts';

export interface TraceShardParts {
  config: Config;
  rules: RuleRegistry;
  metrics: Metrics;
  logger: Logger;
  signer: Signer;
  outbox: RecordOutbox;
  exportSpans: boolean;
  /** Which traces this one holds when they are spread over worker threads; all of them when absent. */
  shard?: Shard;
}

/** What one request did in one shard; `outcome` is undefined when it was not admitted (back-pressure). */
export type ShardResult = { ok: false; message: string } | { ok: true; report: IngestReport; outcome: IngestOutcome | undefined };

/** Counts for the status page, summed over shards. */
export interface ShardStatus {
  buffered: { traces: number; spans: number; bytes: number };
  recentTraces: number;
  spansAccepted: number;
  tracesEvaluated: number;
}

/** A recently completed trace and when it completed (to merge shards newest first). */
export interface RecentTrace {
  trace: Trace;
  completedAt: number;
}

/**
 * Everything that lives where a trace's spans live: decoding (only this shard's spans, only the
 * attributes the rules read), assembly, evaluation and the signed violation records. One on the
 * main thread, or one per worker thread.
 */
export class TraceShard {
  readonly assembler: TraceAssembler;
  readonly pipeline: Pipeline;
  private readonly filter: AttributeFilter;
  private readonly limits: IngestLimits;
  private readonly shard: Shard | undefined;

  constructor(parts: TraceShardParts) {
    const { config, rules, metrics, logger } = parts;
    const a = config.assembly;
    this.assembler = new TraceAssembler({
      quietPeriodMs: a.quietPeriod, idleTimeoutMs: a.idleTimeout, maxTraceAgeMs: a.maxTraceAge, maxTraces: a.maxTraces,
      maxSpansPerTrace: a.maxSpansPerTrace, maxBytes: a.maxBufferedBytes, lateWindowMs: a.lateWindow,
      recentTraces: a.recentTraces, recentTraceMs: a.recentTraceAge, recentBytes: a.recentBytes,
    });
    metrics.observeAssembler(this.assembler);
    const recorder = new ViolationRecorder({
      signer: parts.signer, redactor: new Redactor(config.redaction), rules, outbox: parts.outbox, exportSpans: parts.exportSpans,
    });
    this.pipeline = new Pipeline({ assembler: this.assembler, rules, recorder, metrics, logger });
    this.filter = new AttributeFilter(rules, a.attributes);
    this.limits = ingestLimits(config.limits);
    this.shard = parts.shard;
  }

  /** Decodes a request body and, when `admit`, ingests this shard's spans. */
  ingest(protocol: Protocol, body: Uint8Array, admit: boolean): ShardResult {
    const decoded = decodeBody(protocol, body, this.limits, this.filter.current, this.shard);
    if (!decoded.ok) return decoded;
    if (!admit) return { ok: true, report: decoded.report, outcome: undefined };
    const outcome = decoded.spans.length > 0 ? this.pipeline.ingest(decoded.spans) : NOTHING;
    return { ok: true, report: decoded.report, outcome };
  }

  status(): ShardStatus {
    return {
      buffered: this.assembler.size, recentTraces: this.assembler.recent.size.traces,
      spansAccepted: this.assembler.counters.spansAccepted, tracesEvaluated: this.pipeline.tracesEvaluated,
    };
  }

  recent(limit: number): RecentTrace[] {
    return this.assembler.recent.newest(limit);
  }

  trace(traceId: string): Trace | undefined {
    return this.assembler.recent.get(traceId);
  }

  close(): void {
    this.filter.close();
  }
}

const NOTHING: IngestOutcome = { accepted: 0, duplicates: 0, late: 0, overTraceLimit: 0 };
