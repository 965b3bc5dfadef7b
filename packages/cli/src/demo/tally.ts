import { BREAKAGES, type Breakage, REQUEST_KINDS, type RequestKind, type RequestPlan } from './plan.ts';
import type { ExportStats } from './telemetry.ts';

/** Requests sent so far, by kind, and those broken on purpose, by breakage. */
export interface Tally {
  requests: number;
  byKind: Record<RequestKind, number>;
  broken: Record<Breakage, number>;
}

export function emptyTally(): Tally {
  return {
    requests: 0,
    byKind: Object.fromEntries(REQUEST_KINDS.map((k) => [k, 0])) as Record<RequestKind, number>,
    broken: Object.fromEntries(BREAKAGES.map((b) => [b, 0])) as Record<Breakage, number>,
  };
}

export function count(t: Tally, plan: RequestPlan): void {
  t.requests++;
  t.byKind[plan.kind]++;
  if (plan.breakage) t.broken[plan.breakage]++;
}

/** The one-line progress report. */
export function summaryLine(t: Tally, elapsedMs: number, exported: ExportStats): string {
  const broken = BREAKAGES.reduce((n, b) => n + t.broken[b], 0);
  const kinds = BREAKAGES.filter((b) => t.broken[b] > 0).map((b) => `${t.broken[b]} ${b}`);
  const failed = exported.failedSpans > 0 ? `; ${exported.failedSpans} spans failed to export (${exported.lastError ?? 'no reason given'})` : '';
  return `demo: ${(elapsedMs / 1000).toFixed(1)}s, ${t.requests} requests sent, ${broken} broken on purpose${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}; ${exported.exportedSpans} spans exported${failed}`;
}
