/** The services of the simulated payments company, one OpenTelemetry resource each. */
export const SERVICES = ['api-gateway', 'accounts', 'ledger', 'fraud', 'notifications'] as const;
export type Service = (typeof SERVICES)[number];

/** What a customer asked for. */
export const REQUEST_KINDS = ['transfer', 'credit', 'debit', 'balance', 'audit'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** The invariants a request may break on purpose; each has one rule `demo-…` in demo-rules.yaml. */
export const BREAKAGES = [
  'transfer-without-balance-check',
  'debit-without-audit-log',
  'fraud-check-after-charge',
  'retry-storm',
  'pii-read-without-authorization',
] as const;
export type Breakage = (typeof BREAKAGES)[number];

/** The rule of the demo's rule pack that catches each breakage. */
export const RULE_FOR_BREAKAGE: Record<Breakage, string> = {
  'transfer-without-balance-check': 'demo-transfer-balance-checked',
  'debit-without-audit-log': 'demo-debit-audited',
  'fraud-check-after-charge': 'demo-fraud-before-charge',
  'retry-storm': 'demo-no-retry-storm',
  'pii-read-without-authorization': 'demo-pii-read-authorized',
};

export type AttrValue = string | number | boolean;

/** One span to emit; times are milliseconds from the start of the request. */
export interface PlannedSpan {
  service: Service;
  name: string;
  kind: 'server' | 'client' | 'internal';
  startMs: number;
  endMs: number;
  attributes: Record<string, AttrValue>;
  /** Status message of a failed span. */
  error?: string;
  children: PlannedSpan[];
}

/** One request through the company: a tree of spans rooted at the gateway. */
export interface RequestPlan {
  kind: RequestKind;
  /** Set when this request breaks an invariant on purpose. */
  breakage?: Breakage;
  root: PlannedSpan;
}

/** Every span of a plan, parents before children. */
export function planSpans(plan: RequestPlan): PlannedSpan[] {
  const out: PlannedSpan[] = [];
  const walk = (s: PlannedSpan): void => {
    out.push(s);
    s.children.forEach(walk);
  };
  walk(plan.root);
  return out;
}
