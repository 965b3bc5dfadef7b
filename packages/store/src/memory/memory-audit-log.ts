import { randomUUID } from 'node:crypto';
import type { AuditEntry, AuditLog, AuditPage, AuditQuery } from '../audit-log.ts';
import { decodeSeqCursor, encodeSeqCursor, pageLimit } from '../cursor.ts';
import { jsonCopy } from '../json-value.ts';
import { ok } from '../result.ts';
import type { Result } from '../result.ts';

/** The audit log in process memory, for tests and `memory:` stores. */
export class MemoryAuditLog implements AuditLog {
  // Index + 1 is the entry's sequence number, like an autoincrement column.
  #entries: AuditEntry[] = [];

  async append(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    return this.appendSync(entry);
  }

  /** For the other memory stores: appending synchronously keeps change + audit atomic. */
  appendSync(entry: Omit<AuditEntry, 'id'>): AuditEntry {
    const stored: AuditEntry = jsonCopy({ id: randomUUID(), ...entry });
    this.#entries.push(stored);
    return jsonCopy(stored);
  }

  async list(query: AuditQuery): Promise<Result<AuditPage>> {
    let before = this.#entries.length + 1;
    if (query.cursor !== undefined) {
      const c = decodeSeqCursor(query.cursor);
      if (!c.ok) return c;
      before = c.value;
    }
    const limit = pageLimit(query.limit);
    const items: AuditEntry[] = [];
    let lastSeq = 0;
    for (let seq = Math.min(before, this.#entries.length + 1) - 1; seq >= 1; seq--) {
      const e = this.#entries[seq - 1]!;
      if (query.target !== undefined && e.target !== query.target) continue;
      if (items.length === limit) return ok({ items, nextCursor: encodeSeqCursor(lastSeq) });
      items.push(jsonCopy(e));
      lastSeq = seq;
    }
    return ok({ items });
  }
}
