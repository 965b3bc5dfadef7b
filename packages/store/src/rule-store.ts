import type { RuleSeverity } from '@betrace/engine';
import type { Result } from './result.ts';

/** Where a rule came from: the REST API or a rule file the server watches. */
export type RuleSource = 'api' | 'file';

/** A rule as stored: its content plus version and provenance. */
export interface StoredRule {
  id: string;
  name: string;
  description: string;
  severity: RuleSeverity;
  tags: string[];
  enabled: boolean;
  /** BeTraceDSL text; the store does not parse it (the server checks it before storing). */
  condition: string;
  /** 1 on creation, +1 on every change; the optimistic-concurrency token. */
  version: number;
  createdAt: number;
  updatedAt: number;
  updatedBy: string;
  source: RuleSource;
}

/** What a caller supplies to create a rule; the store fills in version and times. */
export interface NewRule {
  id: string;
  name: string;
  description?: string;
  severity: RuleSeverity;
  tags?: string[];
  /** Default true. */
  enabled?: boolean;
  condition: string;
  /** Default 'api'. */
  source?: RuleSource;
}

/** Fields an update may change; absent fields keep their value. */
export type RuleChanges = Partial<Pick<StoredRule, 'name' | 'description' | 'severity' | 'tags' | 'enabled' | 'condition' | 'source'>>;

/** Optimistic concurrency: fail with `conflict` unless the rule is still at this version. */
export interface WriteOptions {
  expectedVersion?: number;
}

/**
 * Rules with their version history. Every change appends an audit entry in the same transaction,
 * so the log never misses a change and never records one that did not happen.
 */
export interface RuleStore {
  /** Current rules, by id. */
  list(): Promise<StoredRule[]>;
  get(id: string): Promise<StoredRule | undefined>;
  /** Every version ever stored under the id (also after deletion), newest first. */
  history(id: string): Promise<StoredRule[]>;
  /** Fails with `duplicate` when a rule with the id exists. */
  create(rule: NewRule, actor: string): Promise<Result<StoredRule>>;
  /** A new version; a change that changes nothing returns the rule as it is (no version, no audit). */
  update(id: string, changes: RuleChanges, actor: string, options?: WriteOptions): Promise<Result<StoredRule>>;
  /** Removes the rule; its history and audit entries stay. Returns the rule as it was. */
  delete(id: string, actor: string, options?: WriteOptions): Promise<Result<StoredRule>>;
  /** Enables or disables (a new version, audited as rule.enable / rule.disable). */
  setEnabled(id: string, enabled: boolean, actor: string, options?: WriteOptions): Promise<Result<StoredRule>>;
}
