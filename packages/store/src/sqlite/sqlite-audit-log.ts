import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { AuditAction, AuditEntry, AuditLog, AuditPage, AuditQuery } from '../audit-log.ts';
import { decodeSeqCursor, encodeSeqCursor, pageLimit } from '../cursor.ts';
import { ok } from '../result.ts';
import type { Result } from '../result.ts';
import { transaction } from './sqlite-database.ts';

/** The audit log in SQLite. */
export class SqliteAuditLog implements AuditLog {
  #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  async append(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    return transaction(this.#db, () => appendAudit(this.#db, entry));
  }

  async list(query: AuditQuery): Promise<Result<AuditPage>> {
    let before = Number.MAX_SAFE_INTEGER;
    if (query.cursor !== undefined) {
      const c = decodeSeqCursor(query.cursor);
      if (!c.ok) return c;
      before = c.value;
    }
    const limit = pageLimit(query.limit);
    const targetClause = query.target === undefined ? '' : 'AND target = :target';
    const rows = this.#db
      .prepare(`SELECT * FROM audit_log WHERE seq < :before ${targetClause} ORDER BY seq DESC LIMIT :n`)
      .all({ before, n: limit + 1, ...(query.target === undefined ? {} : { target: query.target }) });
    const items = rows.slice(0, limit).map(toEntry);
    if (rows.length > limit) return ok({ items, nextCursor: encodeSeqCursor(Number(rows[limit - 1]!.seq)) });
    return ok({ items });
  }
}

/** Appends inside the caller's transaction, so a change and its audit entry commit together. */
export function appendAudit(db: DatabaseSync, entry: Omit<AuditEntry, 'id'>): AuditEntry {
  const stored: AuditEntry = { id: randomUUID(), ...entry };
  db.prepare('INSERT INTO audit_log (id, at, actor, action, target, changes) VALUES (?, ?, ?, ?, ?, ?)').run(
    stored.id,
    stored.at,
    stored.actor,
    stored.action,
    stored.target,
    JSON.stringify(stored.changes),
  );
  return JSON.parse(JSON.stringify(stored)) as AuditEntry;
}

function toEntry(row: Record<string, unknown>): AuditEntry {
  return {
    id: String(row.id),
    at: Number(row.at),
    actor: String(row.actor),
    action: row.action as AuditAction,
    target: String(row.target),
    changes: JSON.parse(String(row.changes)) as AuditEntry['changes'],
  };
}
