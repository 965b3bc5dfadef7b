import { analyzeRule, ruleReads } from '@betrace/dsl';
import { type AttrValue, type Span, type Violation, compileRule, evaluateTrace } from '@betrace/engine';
import { DEFAULT_INGEST_LIMITS, decodeProtobufTraces, groupByTrace } from '@betrace/otlp';
import { protobufjsEncode, requestObjectFromSpans } from '@betrace/otlp/testing';
import { describe, expect, it } from 'vitest';
import { MemoryAuditLog, MemoryRuleStore } from '@betrace/store';
import { pino } from 'pino';
import { RuleRegistry } from '../rules/rule-registry.ts';
import { AttributeFilter, fieldFilterFor } from './attribute-filter.ts';

// Rules over a small vocabulary so random traffic hits them: bare keys (span, then resource),
// label fields, resource keys, `*`, intrinsics, aggregates, relations and trace fields.
const RULES = [
  'never { a.where(x > 2) }',
  'when { a.where(x == 1) } always { b.where(y != null) }',
  'when { p: a } always { b.where(k == p.k) before p }',
  'never { *.where(region == "eu" and span.status == error) }',
  'never { resource.region == "us" and c }',
  'never { c.where(resource.tier == gold) }',
  'never { sum(b, x) > 5 }',
  'never { count(*.where(y contains u)) > 2 }',
  'when { trace.root_name == a } never { trace.span_count > 6 }',
  'never { a ancestor of d.where(k in [1, 3, u]) }',
  'never { d.where(tier matches "^go") }',
  'when { c } always { d.where(span.kind == server) after c within 5ms }',
];
const NAMES = ['a', 'b', 'c', 'd', 'e'];
const KEYS = ['x', 'y', 'k', 'region', 'tier', 'noise.1', 'noise.2', 'noise.3', 'ü-key', 'long.'.repeat(30)];
const VALUES: AttrValue[] = [0, 1, 2, 3, 5, '1', '3', 'u', 'uv', 'eu', 'us', 'gold', 'go', true, false, [1, 'u'], new Uint8Array([7])];

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSpans(rand: () => number, traces: number): Span[] {
  const pick = <T,>(xs: readonly T[]): T => xs[(rand() * xs.length) | 0]!;
  const hex = (n: number) => Array.from({ length: n }, () => ((rand() * 16) | 0).toString(16)).join('').replace(/^0/, '1');
  const resources = Array.from({ length: 3 }, (_, i) => {
    const m = new Map<string, AttrValue>([['service.name', `svc${i}`]]);
    for (const key of KEYS) if (rand() < 0.3) m.set(key, pick(VALUES));
    return m;
  });
  const out: Span[] = [];
  for (let t = 0; t < traces; t++) {
    const traceId = hex(32);
    const ids: string[] = [];
    const count = 1 + ((rand() * 10) | 0);
    for (let i = 0; i < count; i++) {
      const spanId = hex(16);
      const attributes = new Map<string, AttrValue>();
      for (const key of KEYS) if (rand() < 0.4) attributes.set(key, pick(VALUES));
      const start = 1.7e18 + Math.floor(rand() * 1e7) * 1000;
      const duration = Math.floor(rand() * 1e7);
      const resource = pick(resources);
      out.push({
        traceId, spanId, parentSpanId: i === 0 || rand() < 0.1 ? undefined : pick(ids), name: pick(NAMES),
        kind: pick(['internal', 'server', 'client'] as const), status: pick(['unset', 'ok', 'error'] as const), statusMessage: rand() < 0.5 ? 'm' : '',
        start, end: start + duration, duration, service: resource.get('service.name') as string, attributes, resource,
      });
      ids.push(spanId);
    }
  }
  // arrival order mixes traces, as batching exporters do
  return out.sort(() => rand() - 0.5);
}

const compiled = RULES.map((text, i) => {
  const r = analyzeRule(text);
  if (!r.ok) throw new Error(`test rule does not check: ${text}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return { compiled: compileRule({ id: `r${i}`, name: `r${i}`, severity: 'high', text, rule: r.rule }), reads: ruleReads(r.rule) };
});

function verdicts(spans: readonly Span[], rules: typeof compiled): Violation[] {
  return groupByTrace(spans).flatMap((t) => evaluateTrace(rules.map((r) => r.compiled), t, 0).violations);
}

/** What a violation stores of each span: the attributes its rule read (span first, then resource). */
function readValues(spans: readonly Span[], rules: typeof compiled): unknown[] {
  const keys = [...new Set(rules.flatMap((r) => r.reads.attributes))];
  return spans.map((s) => keys.map((k) => s.attributes.get(k) ?? s.resource.get(k)));
}

describe('decoding only the attributes the rules read', () => {
  it('gives the same verdicts and read values as decoding everything, on random traffic and rule sets', () => {
    const rand = prng(11);
    let violations = 0;
    let skipped = 0;
    for (let round = 0; round < 150; round++) {
      const rules = compiled.filter(() => rand() < 0.35);
      const bytes = protobufjsEncode(requestObjectFromSpans(randomSpans(rand, 1 + ((rand() * 6) | 0))));
      const all = decodeProtobufTraces(bytes);
      const read = decodeProtobufTraces(bytes, DEFAULT_INGEST_LIMITS, fieldFilterFor(rules));
      if (!all.ok || !read.ok) throw new Error('random request does not decode');
      expect(read.spans.length).toBe(all.spans.length);
      const want = verdicts(all.spans, rules);
      expect(verdicts(read.spans, rules)).toEqual(want);
      expect(readValues(read.spans, rules)).toEqual(readValues(all.spans, rules));
      violations += want.length;
      skipped += all.spans.reduce((n, s, i) => n + s.attributes.size - read.spans[i]!.attributes.size, 0);
    }
    // the comparison means something only if rules fired and attributes were dropped
    expect(violations).toBeGreaterThan(50);
    expect(skipped).toBeGreaterThan(1000);
  });

  it('keeps exactly the keys the rules read, label fields and bare keys alike; resources stay whole', () => {
    const filter = fieldFilterFor(compiled.slice(0, 3));
    expect([...filter.keys].sort()).toEqual(['k', 'x', 'y']);
    const span = randomSpans(prng(3), 1)[0]!;
    const attributes = new Map<string, AttrValue>(KEYS.map((k) => [k, 1]));
    const bytes = protobufjsEncode(requestObjectFromSpans([{ ...span, attributes }]));
    const r = decodeProtobufTraces(bytes, DEFAULT_INGEST_LIMITS, filter);
    expect(r.ok && [...r.spans[0]!.attributes.keys()].sort()).toEqual(['k', 'x', 'y']);
    expect(r.ok && r.spans[0]!.resource).toEqual(span.resource);
  });

  it('counts attributes over the limit the same way, read or skipped', () => {
    const span = randomSpans(prng(5), 1)[0]!;
    const attributes = new Map<string, AttrValue>(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
    const bytes = protobufjsEncode(requestObjectFromSpans([{ ...span, attributes }]));
    const limits = { ...DEFAULT_INGEST_LIMITS, maxAttributesPerSpan: 4 };
    const all = decodeProtobufTraces(bytes, limits);
    const read = decodeProtobufTraces(bytes, limits, fieldFilterFor([{ reads: { ...compiled[0]!.reads, attributes: ['k1', 'k7'] } }]));
    if (!all.ok || !read.ok) throw new Error('does not decode');
    expect(read.report.droppedAttributes).toBe(all.report.droppedAttributes);
    expect(Object.fromEntries(read.spans[0]!.attributes)).toEqual({ k1: 1 });
  });
});

describe('AttributeFilter', () => {
  it('follows rule changes: a new rule\'s keys are kept from the next request on; `all` keeps everything', async () => {
    const store = new MemoryRuleStore(new MemoryAuditLog(), () => 0);
    const rules = new RuleRegistry(store, pino({ level: 'silent' }));
    await store.create({ id: 'r1', name: 'r1', severity: 'high', condition: 'never { a.where(x > 2) }' }, 'test');
    await rules.reload();
    const filter = new AttributeFilter(rules, 'read');
    expect([...filter.current!.keys]).toEqual(['x']);
    await store.create({ id: 'r2', name: 'r2', severity: 'high', condition: 'when { p: a } always { b.where(k == p.k) }' }, 'test');
    await rules.reload();
    expect([...filter.current!.keys].sort()).toEqual(['k', 'x']);
    filter.close();
    await store.create({ id: 'r3', name: 'r3', severity: 'high', condition: 'never { a.where(y > 2) }' }, 'test');
    await rules.reload();
    expect([...filter.current!.keys].sort()).toEqual(['k', 'x']);
    expect(new AttributeFilter(rules, 'all').current).toBeUndefined();
  });
});
