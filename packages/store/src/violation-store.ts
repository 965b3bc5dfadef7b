import type { RuleSeverity } from '@betrace/engine';
import type { Result } from './result.ts';
import type { ViolationRecord } from './violation-record.ts';

/** Which violations to include by resolution state. */
export type ViolationStatus = 'open' | 'resolved' | 'all';

/** Filters shared by listing and statistics; every given filter must match (AND). */
export interface ViolationFilter {
  ruleId?: string;
  /** One severity or any of several. */
  severity?: RuleSeverity | RuleSeverity[];
  /** Matches when any trigger or offending span has this service name. */
  service?: string;
  traceId?: string;
  /** Case-insensitive substring of the rule name, rule id or reason. */
  text?: string;
  /** Default 'all': a resolved violation is still history worth seeing. */
  status?: ViolationStatus;
}

/** A page request over violations, newest first. */
export interface ViolationQuery extends ViolationFilter {
  /** Inclusive lower bound on `detectedAt` (ms epoch). */
  from?: number;
  /** Exclusive upper bound on `detectedAt` (ms epoch). */
  to?: number;
  /** Page size: default 50, clamped to 1..1000. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** One page of violations; `nextCursor` is present exactly when more may follow. */
export interface ViolationPage {
  items: ViolationRecord[];
  nextCursor?: string;
}

/** A statistics request over `[from, to)` in buckets of `bucketMs`. */
export interface ViolationStatsQuery {
  from: number;
  to: number;
  /** Bucket width; buckets are aligned to multiples of it since the epoch. */
  bucketMs: number;
  filters?: ViolationFilter;
}

/** Counts of violations in a time bucket, by severity. */
export interface ViolationBucket {
  /** Bucket start (ms epoch); the bucket covers `[start, start + bucketMs)`. */
  start: number;
  bySeverity: Record<RuleSeverity, number>;
}

/** Aggregate counts for a dashboard. */
export interface ViolationStats {
  total: number;
  bySeverity: Record<RuleSeverity, number>;
  /** Most violations first, then by rule id; `ruleName` is the name on the newest violation. */
  byRule: { ruleId: string; ruleName: string; count: number }[];
  /** Violations citing the service (once each), most first, then by name. */
  byService: { service: string; count: number }[];
  /** Every bucket overlapping `[from, to)`, oldest first, zeros included. */
  buckets: ViolationBucket[];
}

/** Outcome of recording a batch: new rows, and records whose natural key was already stored. */
export interface RecordOutcome {
  inserted: number;
  duplicates: number;
}

/** Where violations are kept, queried and aged out. */
export interface ViolationStore {
  /**
   * Stores records, idempotent on the natural key (rule id, trace id, bound span id): an existing
   * row is left unchanged and counted as a duplicate.
   */
  record(records: readonly ViolationRecord[]): Promise<RecordOutcome>;
  /** Marks open violations resolved; returns how many changed (already resolved ones do not). */
  resolve(ids: readonly string[], at: number, resolution: string): Promise<number>;
  /** One violation by id. */
  get(id: string): Promise<ViolationRecord | undefined>;
  /** A page of violations, newest first by `detectedAt`, then id. Fails only on a bad cursor. */
  list(query: ViolationQuery): Promise<Result<ViolationPage>>;
  /** Counts by severity, rule, service and time bucket. Fails on a bad window or too many buckets. */
  stats(query: ViolationStatsQuery): Promise<Result<ViolationStats>>;
  /** Retention: deletes violations detected before `ms`; returns how many. */
  deleteDetectedBefore(ms: number): Promise<number>;
}
