import type { Result } from './result.ts';

/** What kind of change an audit entry records. */
export type AuditAction =
  | 'rule.create'
  | 'rule.update'
  | 'rule.delete'
  | 'rule.enable'
  | 'rule.disable'
  | 'key.create'
  | 'key.revoke';

/** One field's change; `null` stands for "absent" (before a create, after a delete). */
export interface FieldChange {
  from: unknown;
  to: unknown;
}

/** Who changed what, when, field by field. */
export interface AuditEntry {
  id: string;
  /** Milliseconds since the Unix epoch. */
  at: number;
  /** Who made the change: an API key id, `file:<path>` or a user name — the caller decides. */
  actor: string;
  action: AuditAction;
  /** What was changed: a rule id or API key id. */
  target: string;
  changes: Record<string, FieldChange>;
}

/** A page request over the audit log, newest first. */
export interface AuditQuery {
  target?: string;
  /** Default 50, clamped to 1..1000. */
  limit?: number;
  cursor?: string;
}

/** One page of audit entries; `nextCursor` is present exactly when more may follow. */
export interface AuditPage {
  items: AuditEntry[];
  nextCursor?: string;
}

/** The append-only record of changes. Rule and key stores append their own entries atomically. */
export interface AuditLog {
  /** Appends an entry and returns it with its id. */
  append(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry>;
  /** Entries newest first (by append order, so equal timestamps keep their order). */
  list(query: AuditQuery): Promise<Result<AuditPage>>;
}
