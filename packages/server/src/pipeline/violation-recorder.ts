import type { CompletedTrace, TraceIndex, Violation } from '@betrace/engine';
import { type ViolationRecord, type ViolationStore, violationId } from '@betrace/store';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics.ts';
import type { Redactor } from '../redaction/redactor.ts';
import type { Signer } from '../signing/signer.ts';
import type { RuleRegistry } from '../rules/rule-registry.ts';
import type { ViolationEvents } from './violation-events.ts';
import { witnessSpans } from './witness.ts';

/** Where recorded violations go besides the store (the OTLP exporter). */
export interface ViolationSink {
  enqueue(record: ViolationRecord, index: TraceIndex): void;
}

export interface RecorderDeps {
  store: ViolationStore;
  signer: Signer;
  redactor: Redactor;
  metrics: Metrics;
  logger: Logger;
  events: ViolationEvents;
  rules: RuleRegistry;
  sink?: ViolationSink;
  /** Past this many unwritten violations, `full` turns true and ingestion answers "retry later". */
  maxPending: number;
}

const BATCH = 500;
const RESOLUTION = 'late spans arrived and the re-evaluated trace satisfies the rule';

/**
 * Turns engine violations into signed, redacted records and writes them to the store. Writes are
 * queued: a slow or failing store never blocks evaluation, nothing is dropped (failed batches are
 * retried), and `full` tells the receivers to push back when the queue reaches its bound.
 */
export class ViolationRecorder {
  private readonly deps: RecorderDeps;
  private queue: Array<{ record: ViolationRecord; index: TraceIndex }> = [];
  private resolutions: Array<{ id: string; ruleId: string; at: number }> = [];
  private flushing: Promise<void> | undefined;
  private failingSince: number | undefined;

  constructor(deps: RecorderDeps) {
    this.deps = deps;
  }

  get pending(): number {
    return this.queue.length + this.resolutions.length;
  }

  get full(): boolean {
    return this.pending >= this.deps.maxPending;
  }

  /**
   * Records what one evaluation of a trace found. On re-evaluation, a violation found before and not
   * now is resolved — but only when its rule is still active at the same version: a rule that was
   * disabled, deleted or changed in between says nothing about whether the late spans fixed it.
   */
  accept(completed: CompletedTrace, index: TraceIndex, violations: readonly Violation[], now: number): void {
    const before = recordedIn(completed.memo);
    const after = this.record(index, violations, before, now);
    for (const [id, was] of before) {
      if (after.has(id)) continue;
      const rule = this.deps.rules.get(was.ruleId);
      if (rule !== undefined && rule.stored.version === was.version) this.resolutions.push({ id, ruleId: was.ruleId, at: now });
      else after.set(id, was); // not judged again: keep it, so it is neither resolved nor recorded twice later
    }
    completed.memo.recorded = after;
    this.deps.metrics.pendingViolations.set(this.pending);
  }

  /**
   * Records violations decided before their trace is complete (they can no longer change); never
   * resolves anything. `memo` is the buffered trace's, so its completion does not record them again.
   */
  acceptEarly(memo: Record<string, unknown>, index: TraceIndex, violations: readonly Violation[], now: number): void {
    const before = recordedIn(memo);
    const added = this.record(index, violations, before, now);
    memo.recorded = new Map([...before, ...added]);
    this.deps.metrics.pendingViolations.set(this.pending);
  }

  /** Queues the violations not in `before`; returns all of them by id. */
  private record(index: TraceIndex, violations: readonly Violation[], before: ReadonlyMap<string, RecordedRef>, now: number): Map<string, RecordedRef> {
    const after = new Map<string, RecordedRef>();
    const traceStart = index.spans.length > 0 ? Math.floor((index.spans[0]?.start ?? 0) / 1e6) : 0;
    for (const v of violations) {
      const rule = this.deps.rules.get(v.ruleId);
      if (rule === undefined) continue;
      const boundSpanId = v.boundSpanId ?? '';
      const id = violationId(v.ruleId, v.traceId, boundSpanId);
      after.set(id, { ruleId: v.ruleId, version: rule.stored.version });
      if (before.has(id)) continue;
      const record: ViolationRecord = {
        id, ruleId: v.ruleId, ruleName: v.ruleName, ruleVersion: rule.stored.version, severity: v.severity,
        traceId: v.traceId, boundSpanId,
        trigger: witnessSpans(v.trigger, index, rule.reads, this.deps.redactor),
        offending: witnessSpans(v.offending, index, rule.reads, this.deps.redactor),
        reason: v.reason, detectedAt: now, traceStart, signature: '',
      };
      record.signature = this.deps.signer.sign(record);
      this.queue.push({ record, index });
    }
    return after;
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
      for (const { record, index } of batch) {
        metrics.violations.inc({ rule_id: record.ruleId, severity: record.severity });
        events.emit(record);
        sink?.enqueue(record, index);
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

/** What a trace's memo remembers of each violation recorded for it. */
interface RecordedRef {
  ruleId: string;
  version: number;
}

function recordedIn(memo: Record<string, unknown>): Map<string, RecordedRef> {
  return memo.recorded instanceof Map ? (memo.recorded as Map<string, RecordedRef>) : new Map();
}
