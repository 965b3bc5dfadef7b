import { describe, expect, it } from 'vitest';
import type { AttrValue } from '../span.ts';
import { ruleDef } from '../testing/evaluate-both.ts';
import { span } from '../testing/spans.ts';
import { indexTrace } from '../trace-index.ts';
import { compileRule } from './rule.ts';

/** An attribute map that counts reads, to observe how often the engine looks at a span. */
class CountingMap extends Map<string, AttrValue> {
  reads = 0;
  override get(key: string): AttrValue | undefined {
    this.reads++;
    return super.get(key);
  }
}

function countedSpan(id: string, name: string, start: number, attrs: Record<string, AttrValue>) {
  const s = span({ id, name, start });
  const counting = new CountingMap(Object.entries(attrs));
  return { span: { ...s, attributes: counting }, counting };
}

describe('evaluation cost', () => {
  it('evaluates a label-independent pattern once per trace, not once per bound span', () => {
    const check = countedSpan('c', 'fraud.check', 0, { ok: true });
    const payments = Array.from({ length: 50 }, (_, i) => span({ id: `p${i}`, name: 'payment', start: 10 + i }));
    const rule = compileRule(ruleDef('when { p: payment } always { fraud.check.where(ok == true) before p }'));
    const violations = rule.evaluate(indexTrace({ traceId: 't', spans: [check.span, ...payments] }));
    expect(violations).toEqual([]);
    expect(check.counting.reads).toBe(1);
  });

  it('does not look at any span when the names the rule needs are absent', () => {
    const other = countedSpan('o', 'other', 0, { amount: 5000 });
    const rule = compileRule(ruleDef('when { p: payment.where(amount > 1000) } never { *.where(amount > 1) }'));
    expect(rule.evaluate(indexTrace({ traceId: 't', spans: [other.span] }))).toEqual([]);
    expect(other.counting.reads).toBe(0);
  });
});
