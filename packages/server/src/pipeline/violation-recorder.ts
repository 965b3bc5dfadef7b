import type { CompletedTrace, TraceIndex, Violation } from '@betrace/engine';
import { type ViolationRecord, violationId } from '@betrace/store';
import { violationSpan } from '../export/violation-span.ts';
import type { Redactor } from '../redaction/redactor.ts';
import type { RuleRegistry } from '../rules/rule-registry.ts';
import type { Signer } from '../signing/signer.ts';
import type { RecordOutbox } from './violation-writer.ts';
import { witnessSpans } from './witness.ts';

export interface RecorderDeps {
  signer: Signer;
  redactor: Redactor;
  rules: RuleRegistry;
  /** The writer (same thread) or a worker's messages to it. */
  outbox: RecordOutbox;
  /** Build each record's `betrace.violation` span for the exporter (only when one is configured). */
  exportSpans: boolean;
}

/**
 * Turns engine violations into signed, redacted records, on the thread that evaluated the trace
 * (it holds the trace the evidence comes from). It remembers in each trace's memo what was
 * recorded, so a re-evaluation records only what is new and resolves what went away.
 */
export class ViolationRecorder {
  private readonly deps: RecorderDeps;

  constructor(deps: RecorderDeps) {
    this.deps = deps;
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
      if (rule !== undefined && rule.stored.version === was.version) this.deps.outbox.resolve(id, was.ruleId, now);
      else after.set(id, was); // not judged again: keep it, so it is neither resolved nor recorded twice later
    }
    completed.memo.recorded = after;
  }

  /**
   * Records violations decided before their trace is complete (they can no longer change); never
   * resolves anything. `memo` is the buffered trace's, so its completion does not record them again.
   */
  acceptEarly(memo: Record<string, unknown>, index: TraceIndex, violations: readonly Violation[], now: number): void {
    const before = recordedIn(memo);
    const added = this.record(index, violations, before, now);
    memo.recorded = new Map([...before, ...added]);
  }

  /** Records the violations not in `before`; returns all of them by id. */
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
      this.deps.outbox.add(record, this.deps.exportSpans ? violationSpan(record, index) : undefined);
    }
    return after;
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
