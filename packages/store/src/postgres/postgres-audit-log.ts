import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { AuditAction, AuditEntry, AuditLog, AuditPage, AuditQuery } from '../audit-log.ts';
import { decodeSeqCursor, encodeSeqCursor, pageLimit } from '../cursor.ts';
import { ok } from '../result.ts';
import type { Result } from '../result.ts';
import { Params } from './postgres-client.ts';

/** The audit log in PostgreSQL. */
export class PostgresAuditLog implements AuditLog {
  #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async append(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    const client = await this.#pool.connect();
    try {
      return await appendAudit(client, entry);
    } finally {
      client.release();
    }
  }

  async list(query: AuditQuery): Promise<Result<AuditPage>> {
    const p = new Params();
    const clauses: string[] = [];
    if (query.cursor !== undefined) {
      const c = decodeSeqCursor(query.cursor);
      if (!c.ok) return c;
      clauses.push(`seq < ${p.add(c.value)}`);
    }
    if (query.target !== undefined) clauses.push(`target = ${p.add(query.target)}`);
    const limit = pageLimit(query.limit);
    const where = clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
    const { rows } = await this.#pool.query(`SELECT * FROM audit_log ${where} ORDER BY seq DESC LIMIT ${p.add(limit + 1)}`, p.values);
    const items = rows.slice(0, limit).map(toEntry);
    if (rows.length > limit) return ok({ items, nextCursor: encodeSeqCursor(Number(rows[limit - 1].seq)) });
    return ok({ items });
  }
}

/** Appends inside the caller's transaction, so a change and its audit entry commit together. */
export async function appendAudit(client: PoolClient, entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
  const stored: AuditEntry = { id: randomUUID(), ...entry };
  await client.query('INSERT INTO audit_log (id, at, actor, action, target, changes) VALUES ($1, $2, $3, $4, $5, $6)', [
    stored.id, stored.at, stored.actor, stored.action, stored.target, JSON.stringify(stored.changes),
  ]);
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
