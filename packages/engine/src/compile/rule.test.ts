import { describe, expect, it } from 'vitest';
import type { Trace } from '../span.ts';
import { evaluateBoth } from '../testing/evaluate-both.ts';
import { trace } from '../testing/spans.ts';
import type { RuleViolation } from '../violation.ts';

const PII = 'when { database.query.where(data.contains_pii == true) } always { auth.check }';
const FRAUD = 'when { p: payment.charge.where(amount > 1000) } always { fraud.check.where(order_id == p.order_id) before p }';

// Each row is checked against both evaluators, so a mistake they share cannot pass.
const rows: { name: string; rule: string; trace: Trace; want: RuleViolation[] }[] = [
  {
    name: 'a PII query without auth check is a violation',
    rule: PII,
    trace: trace({ id: 'a', name: 'http' }, { id: 'b', name: 'database.query', parent: 'a', start: 2, attrs: { 'data.contains_pii': true } }),
    want: [{ trigger: ['b'], offending: [], reason: 'missing: auth.check' }],
  },
  {
    name: 'a PII query with auth check passes',
    rule: PII,
    trace: trace({ id: 'a', name: 'auth.check' }, { id: 'b', name: 'database.query', start: 2, attrs: { 'data.contains_pii': 'true' } }),
    want: [],
  },
  {
    name: 'a query without PII is not judged',
    rule: PII,
    trace: trace({ id: 'b', name: 'database.query', attrs: { 'data.contains_pii': false } }),
    want: [],
  },
  {
    name: 'labelled rules yield one violation per failing payment',
    rule: FRAUD,
    trace: trace(
      { id: 'p1', name: 'payment.charge', start: 10, attrs: { amount: 5000, order_id: 'o1' } },
      { id: 'f1', name: 'fraud.check', start: 1, end: 5, attrs: { order_id: 'o1' } },
      { id: 'p2', name: 'payment.charge', start: 20, attrs: { amount: '2000', order_id: 'o2' } },
      { id: 'p3', name: 'payment.charge', start: 30, attrs: { amount: 1500, order_id: 'o3' } },
      { id: 'p4', name: 'payment.charge', start: 40, attrs: { amount: 10, order_id: 'o4' } },
      { id: 'f3', name: 'fraud.check', start: 35, end: 36, attrs: { order_id: 'o3' } }, // after the charge
    ),
    want: [
      { boundSpanId: 'p2', trigger: ['p2'], offending: [], reason: 'missing: fraud.check.where(order_id == p.order_id) before p' },
      { boundSpanId: 'p3', trigger: ['p3'], offending: [], reason: 'missing: fraud.check.where(order_id == p.order_id) before p' },
    ],
  },
  {
    name: 'before … within: a check too long before the charge does not count',
    rule: 'when { p: charge } always { check before p within 100ms }',
    trace: trace(
      { id: 'c1', name: 'check', start: 0, end: 1e6 },
      { id: 'p1', name: 'charge', start: 50e6 }, // 49ms after c1 ended
      { id: 'p2', name: 'charge', start: 500e6 }, // 499ms after
    ),
    want: [{ boundSpanId: 'p2', trigger: ['p2'], offending: [], reason: 'missing: check before p within 100ms' }],
  },
  {
    name: 'a span is never before itself, even with zero duration',
    rule: 'never { tick before tick }',
    trace: trace({ id: 'a', name: 'tick', start: 5, end: 5 }),
    want: [],
  },
  {
    name: 'never: offending spans are those of the forbidden pattern',
    rule: 'never { "GET /admin/users".where(span.status == ERROR) }',
    trace: trace(
      { id: 'b', name: 'GET /admin/users', start: 2, status: 'error' },
      { id: 'a', name: 'GET /admin/users', start: 1, status: 'error' },
      { id: 'c', name: 'GET /admin/users', start: 3, status: 'ok' },
    ),
    want: [{ trigger: [], offending: ['a', 'b'], reason: 'forbidden: "GET /admin/users".where(span.status == ERROR)' }],
  },
  {
    name: 'duplicate spans are counted once',
    rule: 'never { count(http.retry) > 2 }',
    trace: trace({ id: 'a', name: 'http.retry' }, { id: 'b', name: 'http.retry' }, { id: 'a', name: 'http.retry' }, { id: 'b', name: 'http.retry' }),
    want: [],
  },
  {
    name: 'count over the limit names every counted span',
    rule: 'never { count(http.retry) > 2 }',
    trace: trace({ id: 'c', name: 'http.retry', start: 3 }, { id: 'a', name: 'http.retry', start: 1 }, { id: 'b', name: 'http.retry', start: 2 }),
    want: [{ trigger: [], offending: ['a', 'b', 'c'], reason: 'forbidden: count(http.retry) > 2' }],
  },
  {
    name: 'ancestry stops at a missing parent',
    rule: 'when { db } always { http ancestor of db }',
    trace: trace({ id: 'h', name: 'http' }, { id: 'm', name: 'mid', parent: 'lost' }, { id: 'd', name: 'db', parent: 'm', start: 1 }),
    want: [{ trigger: ['d'], offending: [], reason: 'missing: http ancestor of db' }],
  },
  {
    name: 'ancestry across several levels',
    rule: 'when { db } always { http ancestor of db }',
    trace: trace({ id: 'h', name: 'http' }, { id: 'm', name: 'mid', parent: 'h' }, { id: 'd', name: 'db', parent: 'm', start: 1 }),
    want: [],
  },
  {
    name: 'a parent cycle in malformed data terminates',
    rule: 'never { a ancestor of b }',
    trace: trace({ id: 'x', name: 'a', parent: 'y' }, { id: 'y', name: 'b', parent: 'x', start: 1 }),
    want: [{ trigger: [], offending: ['x', 'y'], reason: 'forbidden: a ancestor of b' }],
  },
  {
    name: 'both blocks fail: reasons are joined',
    rule: 'always { auth } never { debug }',
    trace: trace({ id: 'a', name: 'debug' }),
    want: [{ trigger: [], offending: ['a'], reason: 'missing: auth; forbidden: debug' }],
  },
  {
    name: 'a missing attribute never satisfies !=',
    rule: 'never { req.where(region != "eu") }',
    trace: trace({ id: 'a', name: 'req' }, { id: 'b', name: 'req', start: 1, attrs: { region: 'eu' } }),
    want: [],
  },
  {
    name: 'a resource attribute stands in for a missing span attribute',
    rule: 'never { req.where(service.name == checkout) }',
    trace: trace({ id: 'a', name: 'req', service: 'checkout' }),
    want: [{ trigger: [], offending: ['a'], reason: 'forbidden: req.where(service.name == "checkout")' }],
  },
  {
    name: 'trace atoms have no witnesses',
    rule: 'when { trace.root_name == checkout } never { trace.error_count > 0 }',
    trace: trace({ id: 'r', name: 'checkout' }, { id: 'e', name: 'x', parent: 'r', status: 'error' }),
    want: [{ trigger: [], offending: [], reason: 'forbidden: trace.error_count > 0' }],
  },
  {
    name: 'trace.root_name is missing when the root never arrived',
    rule: 'never { trace.root_name != checkout }',
    trace: trace({ id: 'e', name: 'x', parent: 'r' }),
    want: [],
  },
  {
    name: 'or: only the true side gives witnesses',
    rule: 'never { a or b }',
    trace: trace({ id: 'x', name: 'b' }),
    want: [{ trigger: [], offending: ['x'], reason: 'forbidden: a or b' }],
  },
];

describe('compiled rule and reference interpreter', () => {
  it.each(rows)('$name', ({ rule, trace: t, want }) => {
    const { compiled, reference } = evaluateBoth(rule, t);
    expect(compiled).toEqual(want);
    expect(reference).toEqual(want);
  });
});
