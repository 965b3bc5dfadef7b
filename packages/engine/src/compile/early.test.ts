import { describe, expect, it } from 'vitest';
import type { Span } from '../span.ts';
import { seededRandom } from '../testing/prng.ts';
import { ruleDef } from '../testing/evaluate-both.ts';
import { randomRule } from '../testing/random-rule.ts';
import { randomTrace } from '../testing/random-trace.ts';
import { span } from '../testing/spans.ts';
import { indexTrace } from '../trace-index.ts';
import { compileRule } from './rule.ts';

const early = (text: string) => compileRule(ruleDef(text)).early;

describe('early tests', () => {
  it.each([
    { input: 'never { a.where(x > 1) }', want: { names: ['a'], yes: { id: '1', name: 'a', attrs: { x: 2 } }, no: { id: '1', name: 'a', attrs: { x: 1 } } } },
    { input: 'never { *.where(span.status == error) }', want: { names: undefined, yes: { id: '1', name: 'z', status: 'error' as const }, no: { id: '1', name: 'z' } } },
    { input: 'never { a or b.where(resource.tier == gold) }', want: { names: ['a', 'b'], yes: { id: '1', name: 'b', resource: { tier: 'gold' } }, no: { id: '1', name: 'b' } } },
  ])('$input is decided by one span', ({ input, want }) => {
    const e = early(input);
    expect(e?.names).toEqual(want.names);
    expect(e?.test(span(want.yes))).toBe(true);
    expect(e?.test(span(want.no))).toBe(false);
  });

  it.each([
    'when { a } never { b }', // when may still fail to hold… or hold: it depends on spans yet to come
    'when { a } always { b }',
    'never { a and b }',
    'never { not a }',
    'never { count(a) > 2 }',
    'never { a before b }',
    'never { trace.span_count > 3 }',
  ])('%s waits for the complete trace', (text) => {
    expect(early(text)).toBeUndefined();
  });

  it('is sound on random rules and traces: a span passing the test means the complete trace violates the rule', () => {
    const r = seededRandom(7);
    let qualifying = 0;
    let decided = 0;
    for (let i = 0; i < 30_000 && qualifying < 150; i++) {
      const rule = compileRule({ id: 'r', name: 'r', severity: 'high', text: '', rule: randomRule(r) });
      if (rule.early === undefined) continue;
      qualifying++;
      for (let t = 0; t < 30; t++) {
        const trace = randomTrace(r, 12);
        // only first arrivals count (a duplicate span id is ignored by assembly and indexing)
        const seen = new Set<string>();
        const accepted: Span[] = trace.spans.filter((s) => !seen.has(s.spanId) && seen.add(s.spanId) !== undefined);
        if (!accepted.some((s) => rule.early!.test(s))) continue;
        decided++;
        expect(rule.evaluate(indexTrace(trace)).length, JSON.stringify(rule.def.rule.never)).toBeGreaterThan(0);
      }
    }
    expect(qualifying).toBeGreaterThanOrEqual(50);
    expect(decided).toBeGreaterThan(200);
  });
});
