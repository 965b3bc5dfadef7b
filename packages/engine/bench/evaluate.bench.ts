// Throughput of the hot path: index a 100-span trace and evaluate 10 typical rules on it.
// Run: npm exec -- node packages/engine/bench/evaluate.bench.ts
import { analyzeRule } from '@betrace/dsl';
import type { CompiledRule, Span, Trace } from '../src/index.ts';
import { compileRule, evaluateTrace, indexTrace } from '../src/index.ts';

const RULES = [
  'when { database.query.where(data.contains_pii == true) } always { auth.check }',
  'when { p: payment.charge.where(amount > 1000) } always { fraud.check.where(order_id == p.order_id) before p }',
  'never { "GET /admin/users".where(span.status == error) }',
  'never { count(http.retry) > 3 }',
  'when { http.request.where(http.status_code >= 500) } always { error.logged }',
  'never { trace.duration > 5s and trace.root_name == checkout }',
  'when { cache.get } never { cache.get.where(hit == false) before db.query within 1ms }',
  'never { db.query.where(span.duration > 500ms) }',
  'when { p: checkout } always { auth.check ancestor of p }',
  'never { *.where(span.status == error and service.name matches `^pay`) }',
];

const NAMES = ['http.request', 'db.query', 'cache.get', 'auth.check', 'payment.charge', 'render', 'queue.publish', 'http.retry'];

function makeTrace(seed: number): Trace {
  const spans: Span[] = [];
  const resource = new Map([['service.name', 'checkout']]);
  for (let i = 0; i < 100; i++) {
    const start = 1e15 + i * 1e5 + seed;
    spans.push({
      traceId: 'f'.repeat(32),
      spanId: (i + 1).toString(16).padStart(16, '0'),
      parentSpanId: i === 0 ? undefined : Math.floor(i / 3 + 1).toString(16).padStart(16, '0'),
      name: NAMES[(i * 7 + seed) % NAMES.length] as string,
      kind: 'internal',
      status: i % 17 === 0 ? 'error' : 'unset',
      statusMessage: '',
      start,
      end: start + 2e5,
      duration: 2e5,
      service: 'checkout',
      attributes: new Map<string, string | number | boolean>([
        ['amount', (i * 37) % 3000],
        ['order_id', `o${i % 10}`],
        ['http.status_code', i % 13 === 0 ? 503 : 200],
        ['data.contains_pii', i % 5 === 0],
      ]),
      resource,
    });
  }
  return { traceId: 'f'.repeat(32), spans };
}

const rules: CompiledRule[] = RULES.map((text, i) => {
  const r = analyzeRule(text);
  if (!r.ok) throw new Error(`${text}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return compileRule({ id: `r${i}`, name: `r${i}`, severity: 'low', text, rule: r.rule });
});
const traces = Array.from({ length: 64 }, (_, i) => makeTrace(i));

function run(iterations: number): number {
  let violations = 0;
  for (let i = 0; i < iterations; i++) violations += evaluateTrace(rules, traces[i % traces.length] as Trace, 0).violations.length;
  return violations;
}

run(2000); // warm up
const iterations = 20000;
const t0 = process.hrtime.bigint();
const found = run(iterations);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const t1 = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) indexTrace(traces[i % traces.length] as Trace);
const indexSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
console.log(`${RULES.length} rules × 100-span traces: ${((iterations * 100) / seconds / 1e6).toFixed(2)} M spans/s (${((seconds / iterations) * 1e6).toFixed(1)} µs/trace, ${found} violations)`);
console.log(`indexTrace alone: ${((indexSeconds / iterations) * 1e6).toFixed(1)} µs/trace`);
