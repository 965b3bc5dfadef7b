// Realistic synthetic traces: an API gateway fanning out to services, 10–15 attributes per span,
// OTel semantic-convention keys, some traces breaking the benchmark rules.
import type { AttrValue, Span, SpanKind, Trace } from '@betrace/engine';
import { prng } from './prng.ts';

const SERVICES = ['api-gateway', 'accounts', 'ledger', 'fraud', 'payments', 'notifications', 'users-db', 'cache'];
const OPERATIONS: ReadonlyArray<{ name: string; service: string; kind: SpanKind }> = [
  { name: 'auth.check', service: 'accounts', kind: 'internal' },
  { name: 'database.query', service: 'users-db', kind: 'client' },
  { name: 'cache.get', service: 'cache', kind: 'client' },
  { name: 'fraud.check', service: 'fraud', kind: 'internal' },
  { name: 'payment.charge', service: 'payments', kind: 'internal' },
  { name: 'ledger.debit', service: 'ledger', kind: 'internal' },
  { name: 'ledger.credit', service: 'ledger', kind: 'internal' },
  { name: 'audit.log', service: 'ledger', kind: 'internal' },
  { name: 'http.retry', service: 'api-gateway', kind: 'client' },
  { name: 'notify.send', service: 'notifications', kind: 'producer' },
  { name: 'GET /accounts/{id}', service: 'accounts', kind: 'server' },
  { name: 'render.template', service: 'notifications', kind: 'internal' },
];

const resources = new Map<string, ReadonlyMap<string, AttrValue>>(
  SERVICES.map((s) => [s, new Map<string, AttrValue>([
    ['service.name', s], ['service.version', '1.4.2'], ['deployment.environment', 'prod'],
    ['host.name', `${s}-7d9f8-abcde`], ['telemetry.sdk.language', 'nodejs'],
  ])]),
);

const hex = (rand: () => number, chars: number): string => {
  let s = '';
  for (let i = 0; i < chars; i++) s += ((rand() * 16) | 0).toString(16);
  return s;
};

/** One trace of `spanCount` spans; `violating` makes it break some of the benchmark rules. */
export function makeTrace(rand: () => number, spanCount: number, violating: boolean): Trace {
  const traceId = hex(rand, 32);
  const t0 = 1.7e18 + Math.floor(rand() * 1e12);
  const spans: Span[] = [];
  const rootId = hex(rand, 16);
  const total = 5e6 * spanCount;
  spans.push(span(traceId, rootId, undefined, 'POST /transfers', 'api-gateway', 'server', t0, t0 + total, {
    'http.request.method': 'POST', 'http.route': '/transfers', 'http.response.status_code': 200, 'url.scheme': 'https',
    'user_agent.original': 'okhttp/4.12', 'client.address': '10.1.2.3', 'server.port': 443, 'network.protocol.version': '1.1',
    'enduser.id': `u-${(rand() * 1e6) | 0}`, 'transfer.id': hex(rand, 8), 'tenant.id': 'acme',
  }));
  const orderId = hex(rand, 8);
  for (let i = 1; i < spanCount; i++) {
    const op = OPERATIONS[(rand() * OPERATIONS.length) | 0] as (typeof OPERATIONS)[number];
    const start = t0 + (total * i) / spanCount;
    const parent = i < 4 ? rootId : (spans[1 + ((rand() * (i - 1)) | 0)] as Span).spanId;
    const attrs: Record<string, AttrValue> = {
      'code.function': `handle${i}`, 'code.namespace': `svc.${op.service}`, 'thread.id': i % 8, 'order_id': orderId,
      'amount': Math.floor(rand() * 3000), 'currency': rand() < 0.9 ? 'USD' : 'EUR', 'retry.count': 0,
      'db.system': 'postgresql', 'db.operation.name': 'SELECT', 'data.contains_pii': rand() < 0.2,
      'peer.service': op.service, 'tenant.id': 'acme',
    };
    if (op.name === 'database.query') attrs['db.query.text'] = 'SELECT * FROM accounts WHERE id = $1';
    const status = violating && rand() < 0.05 ? 'error' : 'ok';
    spans.push(span(traceId, hex(rand, 16), parent, op.name, op.service, op.kind, start, start + 4e6 * rand(), attrs, status));
  }
  if (!violating) {
    // a well-behaved trace: authorization first, fraud check before the charge, bounded retries
    spans.splice(1, 0, span(traceId, hex(rand, 16), rootId, 'auth.check', 'accounts', 'internal', t0, t0 + 1e5, { 'enduser.id': 'u-1' }));
  }
  return { traceId, spans };
}

function span(
  traceId: string, spanId: string, parentSpanId: string | undefined, name: string, service: string, kind: SpanKind,
  start: number, end: number, attrs: Record<string, AttrValue>, status: 'ok' | 'error' = 'ok',
): Span {
  return {
    traceId, spanId, parentSpanId, name, kind, status, statusMessage: status === 'error' ? 'upstream failed' : '',
    start, end, duration: end - start, service,
    attributes: new Map(Object.entries(attrs)), resource: resources.get(service) as ReadonlyMap<string, AttrValue>,
  };
}

/** `count` traces of `spanCount` spans, `violatingShare` of them breaking rules; seeded. */
export function makeTraces(seed: number, count: number, spanCount: number, violatingShare = 0.1): Trace[] {
  const rand = prng(seed);
  return Array.from({ length: count }, () => makeTrace(rand, spanCount, rand() < violatingShare));
}
