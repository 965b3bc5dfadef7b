import { BREAKAGES, type Breakage, type PlannedSpan, type RequestKind, type RequestPlan } from './plan.ts';
import type { Random } from './random.ts';
import { Timeline } from './timeline.ts';

// Share of each kind among healthy requests.
const KIND_WEIGHTS: readonly [RequestKind, number][] = [['transfer', 0.3], ['debit', 0.25], ['credit', 0.15], ['balance', 0.2], ['audit', 0.1]];

/** Request kinds in which a breakage can happen. */
const KINDS_FOR: Record<Breakage, readonly RequestKind[]> = {
  'transfer-without-balance-check': ['transfer'],
  'debit-without-audit-log': ['debit'],
  'fraud-check-after-charge': ['transfer', 'debit'],
  'retry-storm': ['transfer', 'debit', 'credit', 'balance', 'audit'],
  'pii-read-without-authorization': ['balance', 'audit'],
};

/**
 * Plans the next request: with probability `violationRate` it breaks one invariant (each breakage
 * equally likely), otherwise it is a well-behaved request (which may still retry once or twice).
 */
export function planRequest(rng: Random, violationRate: number, seq: number): RequestPlan {
  const breakage = rng.chance(violationRate) ? rng.pick(BREAKAGES) : undefined;
  const kind = breakage ? rng.pick(KINDS_FOR[breakage]) : weightedKind(rng);
  const ctx: Ctx = {
    tl: new Timeline(rng), rng, breakage,
    txn: `txn-${seq}-${rng.int(0, 0xffffff).toString(16).padStart(6, '0')}`,
    account: `acc-${rng.int(1000, 9999)}`,
    amount: rng.int(5, 5000),
    currency: rng.pick(['EUR', 'USD', 'GBP']),
    retries: breakage === 'retry-storm' ? rng.int(4, 6) : rng.chance(0.1) ? rng.int(1, 2) : 0,
  };
  return { kind, ...(breakage ? { breakage } : {}), root: BUILDERS[kind](ctx) };
}

interface Ctx {
  tl: Timeline;
  rng: Random;
  breakage: Breakage | undefined;
  txn: string;
  account: string;
  amount: number;
  currency: string;
  /** Failed resends on the request's retrying call. */
  retries: number;
}

const BUILDERS: Record<RequestKind, (c: Ctx) => PlannedSpan> = {
  transfer: (c) => gateway(c, 'POST', '/v1/transfers', () => {
    const fraudLate = c.breakage === 'fraud-check-after-charge';
    const to = `acc-${c.rng.int(1000, 9999)}`;
    return [
      ...(c.breakage === 'transfer-without-balance-check' ? [] : [balanceCheck(c)]),
      ...(fraudLate ? [] : [fraudCheck(c)]),
      c.tl.call('api-gateway', 'ledger', 'POST', '/internal/transfers', () => [
        c.tl.span('ledger', 'ledger.debit', 'internal', { ...money(c), 'txn.type': 'transfer', 'account.id': c.account }),
        c.tl.span('ledger', 'ledger.credit', 'internal', { ...money(c), 'txn.type': 'transfer', 'account.id': to }),
        auditLog(c, 'transfer'),
      ]),
      ...(fraudLate ? [fraudCheck(c)] : []),
      c.tl.call('api-gateway', 'notifications', 'POST', '/internal/notifications', () => [
        c.tl.span('notifications', 'notify.send', 'internal', { 'notification.channel': c.rng.pick(['email', 'sms', 'push']), 'account.id': to }),
      ], c.retries),
    ];
  }),
  debit: (c) => gateway(c, 'POST', '/v1/debits', () => {
    const fraudLate = c.breakage === 'fraud-check-after-charge';
    return [
      balanceCheck(c, c.retries),
      ...(fraudLate ? [] : [fraudCheck(c)]),
      c.tl.call('api-gateway', 'ledger', 'POST', '/internal/debits', () => [
        c.tl.span('ledger', 'ledger.debit', 'internal', { ...money(c), 'txn.type': 'debit', 'account.id': c.account }),
        ...(c.breakage === 'debit-without-audit-log' ? [] : [auditLog(c, 'debit')]),
      ]),
      ...(fraudLate ? [fraudCheck(c)] : []),
    ];
  }),
  credit: (c) => gateway(c, 'POST', '/v1/credits', () => [
    c.tl.call('api-gateway', 'ledger', 'POST', '/internal/credits', () => [
      c.tl.span('ledger', 'ledger.credit', 'internal', { ...money(c), 'txn.type': 'credit', 'account.id': c.account }),
      auditLog(c, 'credit'),
    ], c.retries),
  ]),
  balance: (c) => gateway(c, 'GET', '/v1/accounts/{id}/balance', () => [
    ...authorization(c),
    c.tl.call('api-gateway', 'accounts', 'GET', '/internal/accounts/{id}', () => [
      piiRead(c, 'accounts', 'customers'),
      c.tl.span('accounts', 'accounts.balance_read', 'internal', { 'account.id': c.account }),
    ], c.retries),
  ]),
  audit: (c) => gateway(c, 'GET', '/v1/audit-log', () => [
    ...authorization(c),
    c.tl.call('api-gateway', 'ledger', 'GET', '/internal/audit-entries', () => [piiRead(c, 'ledger', 'audit_entries')], c.retries),
  ]),
};

function gateway(c: Ctx, method: string, route: string, inner: () => PlannedSpan[]): PlannedSpan {
  return c.tl.span('api-gateway', `${method} ${route}`, 'server', {
    'http.request.method': method, 'http.route': route, 'http.response.status_code': 200, 'txn.id': c.txn, 'account.id': c.account,
  }, inner);
}

function money(c: Ctx): Record<string, string | number> {
  return { 'txn.id': c.txn, 'payment.amount': c.amount, 'payment.currency': c.currency };
}

function balanceCheck(c: Ctx, retries = 0): PlannedSpan {
  return c.tl.call('api-gateway', 'accounts', 'POST', '/internal/balance-checks', () => [
    c.tl.span('accounts', 'accounts.balance_check', 'internal', { 'account.id': c.account, 'payment.amount': c.amount, 'balance.sufficient': true }),
  ], retries);
}

function fraudCheck(c: Ctx): PlannedSpan {
  return c.tl.call('api-gateway', 'fraud', 'POST', '/internal/fraud-checks', () => [
    c.tl.span('fraud', 'fraud.check', 'internal', { 'txn.id': c.txn, 'fraud.score': c.rng.int(0, 40), 'fraud.decision': 'approve' }),
  ]);
}

function auditLog(c: Ctx, action: string): PlannedSpan {
  return c.tl.span('ledger', 'audit.log', 'internal', { 'txn.id': c.txn, 'audit.action': action, 'account.id': c.account });
}

function authorization(c: Ctx): PlannedSpan[] {
  if (c.breakage === 'pii-read-without-authorization') return [];
  return [c.tl.span('api-gateway', 'auth.check', 'internal', { 'auth.decision': 'allow', 'enduser.id': `user-${c.rng.int(1, 500)}` })];
}

function piiRead(c: Ctx, service: 'accounts' | 'ledger', table: string): PlannedSpan {
  return c.tl.span(service, `SELECT ${table}`, 'client', {
    'db.system': 'postgresql', 'db.operation.name': 'SELECT', 'db.collection.name': table, 'data.contains_pii': true, 'account.id': c.account,
  });
}

function weightedKind(rng: Random): RequestKind {
  let x = rng.next();
  for (const [kind, w] of KIND_WEIGHTS) {
    if (x < w) return kind;
    x -= w;
  }
  return 'transfer';
}
