import type { OutgoingSpan } from '@betrace/otlp';
import type { ViolationRecord, ViolationStore } from '@betrace/store';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics.ts';
import type { ViolationEvents } from './violation-events.ts';

/** Where recorded violations go besides the store (the OTLP exporter). */
export interface ViolationSink {
  enqueue(span: OutgoingSpan): void;
}

/** Where the recorder puts what it decided: new records (with their export span) and resolutions. */
export interface RecordOutbox {
  add(record: ViolationRecord, span: OutgoingSpan | undefined): void;
  resolve(id: string, ruleId: string, at: number): void;
}

export interface WriterDeps {
  store: ViolationStore;
  metrics: Metrics;
  logger: Logger;
  events: ViolationEvents;
  sink?: ViolationSink;
  /** Past this many unwritten violations, `full` turns true and ingestion answers "retry later". */
  maxPending: number;
}

const BATCH = 500;
const RESOLUTION = 'late spans arrived and the re-evaluated trace satisfies the rule';

/**
 * Writes recorded violations and resolutions to the store, on the main thread whichever thread
 * evaluated them. Writes are queued: a slow or failing store never blocks evaluation, nothing is
 * dropped (failed batches are retried), and `full` tells the receivers to push back when the queue
 * reaches its bound. Once written, a violation is counted, sent to live listeners and exported.
 */
export class ViolationWriter implements RecordOutbox {
  private readonly deps: WriterDeps;
  private queue: Array<{ record: ViolationRecord; span: OutgoingSpan | undefined }> = [];
  private resolutions: Array<{ id: string; ruleId: string; at: number }> = [];
  private flushing: Promise<void> | undefined;
  private failingSince: number | undefined;

  constructor(deps: WriterDeps) {
    this.deps = deps;
  }

  get pending(): number {
    return this.queue.length + this.resolutions.length;
  }

  get full(): boolean {
    return this.pending >= this.deps.maxPending;
  }

  /** Whether written violations are exported (the recorder builds their spans only then). */
  get exports(): boolean {
    return this.deps.sink !== undefined;
  }

  add(record: ViolationRecord, span: OutgoingSpan | undefined): void {
    this.queue.push({ record, span });
    this.deps.metrics.pendingViolations.set(this.pending);
  }

  resolve(id: string, ruleId: string, at: number): void {
    this.resolutions.push({ id, ruleId, at });
    this.deps.metrics.pendingViolations.set(this.pending);
  }

  /**
   * Shutdown: keeps flushing (with a short pause between tries) until everything is written or the
   * deadline passes; returns the records the store did not take, for the caller to spill to disk.
   */
  async flushBefore(deadline: number, pauseMs = 250): Promise<ViolationRecord[]> {
    for (;;) {
      await this.flush();
      if (this.queue.length === 0 || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    const left = this.queue.map((q) => q.record);
    this.queue = [];
    this.deps.metrics.pendingViolations.set(this.pending);
    return left;
  }

  /** Writes queued records and resolutions; a failed batch stays queued for the next flush. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async write(): Promise<void> {
    const { store, metrics, logger, events, sink } = this.deps;
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, BATCH);
      try {
        await store.record(batch.map((b) => b.record));
      } catch (error) {
        metrics.storeErrors.inc({ operation: 'record' });
        // Once per outage: the flush retries every tick, and a database that is down for a
        // minute must not write a thousand log lines (the metric counts every attempt).
        if (this.failingSince === undefined) {
          this.failingSince = Date.now();
          logger.error({ err: error, pending: this.pending }, 'writing violations failed; they stay queued and are retried (logged once until the store answers again)');
        }
        break;
      }
      if (this.failingSince !== undefined) {
        logger.info({ outageMs: Date.now() - this.failingSince, pending: this.pending }, 'the store answers again; writing queued violations');
        this.failingSince = undefined;
      }
      this.queue = this.queue.slice(batch.length);
      for (const { record, span } of batch) {
        metrics.violations.inc({ rule_id: record.ruleId, severity: record.severity });
        events.emit(record);
        if (span !== undefined) sink?.enqueue(span);
      }
    }
    if (this.resolutions.length > 0) {
      const batch = this.resolutions.slice(0, BATCH);
      try {
        await store.resolve(batch.map((r) => r.id), batch[0]?.at ?? Date.now(), RESOLUTION);
        this.resolutions = this.resolutions.slice(batch.length);
        for (const r of batch) metrics.violationsResolved.inc({ rule_id: r.ruleId });
      } catch (error) {
        metrics.storeErrors.inc({ operation: 'resolve' });
        logger.error({ err: error }, 'resolving violations failed; retried on the next flush');
      }
    }
    metrics.pendingViolations.set(this.pending);
  }
}
