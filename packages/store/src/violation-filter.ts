import type { RuleSeverity } from '@betrace/engine';
import type { ViolationRecord } from './violation-record.ts';
import type { ViolationFilter, ViolationStatus } from './violation-store.ts';

/** A filter with its defaults applied, in the form both adapters consume. */
export interface NormalizedFilter {
  ruleId?: string;
  severities?: RuleSeverity[];
  service?: string;
  traceId?: string;
  /** Lower-cased with JavaScript's (Unicode) rules; see `containsFolded`. */
  text?: string;
  status: ViolationStatus;
  from?: number;
  to?: number;
}

export function normalizeFilter(f: ViolationFilter & { from?: number; to?: number }): NormalizedFilter {
  const n: NormalizedFilter = { status: f.status ?? 'all' };
  if (f.ruleId !== undefined) n.ruleId = f.ruleId;
  if (f.severity !== undefined) n.severities = Array.isArray(f.severity) ? [...f.severity] : [f.severity];
  if (f.service !== undefined) n.service = f.service;
  if (f.traceId !== undefined) n.traceId = f.traceId;
  // An empty search string means "no text filter", as in a search box.
  if (f.text !== undefined && f.text !== '') n.text = f.text.toLowerCase();
  if (f.from !== undefined) n.from = f.from;
  if (f.to !== undefined) n.to = f.to;
  return n;
}

/**
 * Case-insensitive substring test. SQLite's lower() folds ASCII only, so the SQLite adapter
 * registers this very function; both adapters then agree on "É" and "é".
 */
export function containsFolded(haystack: string, foldedNeedle: string): boolean {
  return haystack.toLowerCase().includes(foldedNeedle);
}

/** Service names a violation cites, without the empty name of a resource without service.name. */
export function witnessServices(r: Pick<ViolationRecord, 'trigger' | 'offending'>): string[] {
  const names = new Set<string>();
  for (const s of [...r.trigger, ...r.offending]) if (s.service !== '') names.add(s.service);
  return [...names];
}

/** The memory adapter's filter; the SQLite adapter compiles the same filter to SQL. */
export function matchesFilter(r: ViolationRecord, f: NormalizedFilter): boolean {
  if (f.ruleId !== undefined && r.ruleId !== f.ruleId) return false;
  if (f.severities !== undefined && !f.severities.includes(r.severity)) return false;
  if (f.service !== undefined && !witnessServices(r).includes(f.service)) return false;
  if (f.traceId !== undefined && r.traceId !== f.traceId) return false;
  if (f.from !== undefined && r.detectedAt < f.from) return false;
  if (f.to !== undefined && r.detectedAt >= f.to) return false;
  if (f.status === 'open' && r.resolvedAt !== undefined) return false;
  if (f.status === 'resolved' && r.resolvedAt === undefined) return false;
  if (f.text !== undefined) {
    const t = f.text;
    if (!containsFolded(r.ruleName, t) && !containsFolded(r.ruleId, t) && !containsFolded(r.reason, t)) return false;
  }
  return true;
}
