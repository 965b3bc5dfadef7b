import type { RuleSeverity } from '@betrace/engine';
import type { Result } from '../result.ts';
import type { Stores } from '../stores.ts';
import { violationId } from '../violation-record.ts';
import type { ViolationRecord, WitnessSpan } from '../violation-record.ts';

/** A clock the contract moves by hand, so times in rules, keys and audit entries are exact. */
export interface TestClock {
  now: () => number;
  set(ms: number): void;
}

export function testClock(start: number): TestClock {
  let t = start;
  return { now: () => t, set: (ms) => void (t = ms) };
}

/** What each contract test sees: fresh stores and the clock they were opened with. */
export interface ContractContext {
  stores: Stores;
  clock: TestClock;
}

export const T0 = Date.UTC(2025, 0, 1);
export const MINUTE = 60_000;

export function span(spanId: string, service: string, name = 'op', attributes: WitnessSpan['attributes'] = {}): WitnessSpan {
  return { spanId, name, service, attributes };
}

/** A valid record whose id follows from its natural key unless `id` is given. */
export function violation(o: Partial<ViolationRecord> & { ruleId?: string; traceId?: string } = {}): ViolationRecord {
  const ruleId = o.ruleId ?? 'rule-a';
  const traceId = o.traceId ?? 'trace-1';
  const boundSpanId = o.boundSpanId ?? '';
  const severity: RuleSeverity = o.severity ?? 'high';
  const r: ViolationRecord = {
    ruleId,
    ruleName: `Rule ${ruleId}`,
    ruleVersion: 1,
    severity,
    traceId,
    boundSpanId,
    trigger: [span('s1', 'checkout')],
    offending: [],
    reason: 'missing: payment',
    detectedAt: T0,
    traceStart: T0 - 1000,
    signature: 'sig',
    ...o,
    id: o.id ?? violationId(ruleId, traceId, boundSpanId),
  };
  return r;
}

/** The value of an ok result; fails the test with the error otherwise. */
export function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** The error code of a failed result; fails the test on success. */
export function errorCode<T>(r: Result<T>): string {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  return r.error.code;
}
