import type { ApiKeyStore } from './api-key-store.ts';
import type { AuditLog } from './audit-log.ts';
import type { RuleStore } from './rule-store.ts';
import type { ViolationStore } from './violation-store.ts';

/** Every port of one backing store, opened and closed together. */
export interface Stores {
  rules: RuleStore;
  violations: ViolationStore;
  audit: AuditLog;
  apiKeys: ApiKeyStore;
  /** For readiness probes: true when the backing store answers. */
  ping(): Promise<boolean>;
  /**
   * Calls `listener` when rules may have changed outside this process (another instance sharing
   * the database) and after the change feed reconnected; returns a function that stops watching.
   * Absent where no one else can change the rules (memory, SQLite: the local rule service reloads).
   */
  watchRules?(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Adapter options; the clock is injectable so tests control createdAt, updatedAt and audit times. */
export interface StoreOptions {
  now?: () => number;
  /** Problems in background work (a dropped connection, a lost change feed) that no call returns. */
  onError?: (message: string, error: unknown) => void;
}
