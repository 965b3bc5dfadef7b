import type { ViolationRecord, ViolationStore } from '@betrace/store';

/** Where a client stopped: the `id` of the last event it saw, `<detectedAt>-<violation id>`. */
export interface StreamPosition {
  detectedAt: number;
  id: string;
}

/** Filters a stream applies, the same as the list endpoint's of the same name. */
export interface StreamFilter {
  ruleId?: string;
  severity?: ViolationRecord['severity'][];
  service?: string;
}

const EVENT_ID = /^(\d{1,16})-([0-9a-f]{32})$/;

/** The SSE `id` of a violation: ordered like the store's keyset (detectedAt, then id). */
export function streamEventId(r: Pick<ViolationRecord, 'detectedAt' | 'id'>): string {
  return `${r.detectedAt}-${r.id}`;
}

export function parseStreamEventId(text: string): StreamPosition | undefined {
  const m = EVENT_ID.exec(text);
  if (!m) return undefined;
  const detectedAt = Number(m[1]);
  return Number.isSafeInteger(detectedAt) ? { detectedAt, id: m[2] as string } : undefined;
}

/** The list endpoint's filter semantics for one record (service: any witness span's service). */
export function matchesStreamFilter(r: ViolationRecord, f: StreamFilter): boolean {
  if (f.ruleId !== undefined && r.ruleId !== f.ruleId) return false;
  if (f.severity !== undefined && !f.severity.includes(r.severity)) return false;
  if (f.service !== undefined && ![...r.trigger, ...r.offending].some((w) => w.service === f.service)) return false;
  return true;
}

function isAfter(r: ViolationRecord, p: StreamPosition): boolean {
  return r.detectedAt > p.detectedAt || (r.detectedAt === p.detectedAt && r.id > p.id);
}

/** What a reconnecting client missed, oldest first; `truncated` when more remain after `records`. */
export interface Replay {
  records: ViolationRecord[];
  truncated: boolean;
}

/**
 * Every stored violation after `after`, oldest first, at most `max`. The store lists newest first,
 * so this pages down to `after` keeping only the oldest `max`: memory stays bounded, and a client
 * that missed more continues without a gap on its next connection from the last one sent.
 */
export async function replayAfter(store: ViolationStore, filter: StreamFilter, after: StreamPosition, max: number): Promise<Replay> {
  const kept: ViolationRecord[] = [];
  let truncated = false;
  let cursor: string | undefined;
  for (;;) {
    const page = await store.list({ ...filter, from: after.detectedAt, limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
    if (!page.ok) throw new Error(`violation replay failed: ${page.error.message}`);
    let reachedPosition = false;
    for (const r of page.value.items) {
      if (!isAfter(r, after)) {
        reachedPosition = true;
        break;
      }
      kept.push(r);
    }
    if (kept.length > max) {
      kept.splice(0, kept.length - max);
      truncated = true;
    }
    if (reachedPosition || page.value.nextCursor === undefined) break;
    cursor = page.value.nextCursor;
  }
  return { records: kept.reverse(), truncated };
}
