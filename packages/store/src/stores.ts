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
  close(): Promise<void>;
}

/** Adapter options; the clock is injectable so tests control createdAt, updatedAt and audit times. */
export interface StoreOptions {
  now?: () => number;
}
