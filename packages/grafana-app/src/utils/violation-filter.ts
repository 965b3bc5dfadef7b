import { SEVERITIES, type Severity, type Violation, type ViolationFilter } from '../api/types';

/**
 * Whether a violation that arrived on the live stream belongs in the filtered table. Mirrors the
 * server's filters: exact rule, service and trace id; text case-insensitive in rule name and reason.
 */
export function matchesFilter(v: Violation, f: ViolationFilter): boolean {
  if (f.ruleId && v.ruleId !== f.ruleId) {
    return false;
  }
  if (f.severity && f.severity.length > 0 && !f.severity.includes(v.severity)) {
    return false;
  }
  if (f.traceId && v.traceId !== f.traceId.trim().toLowerCase()) {
    return false;
  }
  if (f.service && ![...v.trigger, ...v.offending].some((w) => w.service === f.service)) {
    return false;
  }
  if (f.q) {
    const q = f.q.trim().toLowerCase();
    const haystack = [v.ruleName, v.ruleId, v.reason, ...[...v.trigger, ...v.offending].map((w) => w.name)].join('\n').toLowerCase();
    if (q !== '' && !haystack.includes(q)) {
      return false;
    }
  }
  if (f.from !== undefined && v.detectedAt < f.from) {
    return false;
  }
  return true;
}

/** Filter from the page's URL (deep links from the overview and the rules page). */
export function filterFromParams(params: URLSearchParams): ViolationFilter {
  const text = (k: string) => params.get(k) ?? undefined;
  const severity = (params.get('severity') ?? '')
    .split(',')
    .filter((x): x is Severity => (SEVERITIES as readonly string[]).includes(x));
  return { ruleId: text('ruleId'), severity, service: text('service'), traceId: text('traceId'), q: text('q') };
}

export function filterToParams(f: ViolationFilter, range: string): URLSearchParams {
  const p = new URLSearchParams();
  p.set('range', range);
  for (const k of ['ruleId', 'service', 'traceId', 'q'] as const) {
    const v = f[k];
    if (v) {
      p.set(k, v);
    }
  }
  if (f.severity && f.severity.length > 0) {
    p.set('severity', f.severity.join(','));
  }
  return p;
}

export function servicesOf(v: Violation): string[] {
  return [...new Set([...v.trigger, ...v.offending].map((w) => w.service).filter((s) => s !== ''))];
}
