// Rule evaluation speed: 10 realistic rules over traces of 10, 100 and 1 000 spans, one core.
// Baseline in the same run: the reference interpreter on the same rules and traces.
import { analyzeRule } from '@betrace/dsl';
import { compileRule, evaluateTrace, indexTrace, interpretRule, type TraceIndex } from '@betrace/engine';
import { compileBenchRules } from './lib/rules.ts';
import { makeTraces } from './lib/traces.ts';
import { fmt, measure } from './lib/measure.ts';

export function benchEngineEval(): string[] {
  const rules = compileBenchRules();
  const out = ['| spans per trace | compiled: spans/s | compiled: traces/s | reference interpreter: spans/s | ratio |', '|---:|---:|---:|---:|---:|'];
  for (const size of [10, 100, 1000]) {
    const traces = makeTraces(size, Math.max(20, Math.round(20_000 / size)), size);
    let i = 0;
    const compiled = measure(() => {
      evaluateTrace(rules, traces[i++ % traces.length]!, 0);
    });
    let j = 0;
    const reference = measure(() => {
      const index = indexTrace(traces[j++ % traces.length]!);
      for (const r of rules) interpretRule(r.def, index);
    }, size >= 1000 ? 3000 : 1500);
    out.push(`| ${size} | ${fmt(compiled.perSecond * size)} | ${fmt(compiled.perSecond)} | ${fmt(reference.perSecond * size)} | ${(compiled.perSecond / reference.perSecond).toFixed(1)}× |`);
  }
  return out;
}

/** The cost of a rule whose span names are absent from the trace, against indexing alone. */
export function benchNonMatching(): string[] {
  const traces = makeTraces(7, 200, 100);
  const text = 'when { checkout.start.where(cart.items > 10) } always { inventory.reserve before checkout.start }';
  const r = analyzeRule(text);
  if (!r.ok) throw new Error('bench rule does not check');
  const rule = compileRule({ id: 'absent', name: 'absent', severity: 'low', text, rule: r.rule });
  const indexes: TraceIndex[] = traces.map((t) => indexTrace(t));
  let i = 0;
  const none = measure(() => { evaluateTrace([], indexes[i++ % indexes.length]!, 0); });
  let j = 0;
  const one = measure(() => { evaluateTrace([rule], indexes[j++ % indexes.length]!, 0); });
  let k = 0;
  const hundred = Array.from({ length: 100 }, () => rule);
  const many = measure(() => { evaluateTrace(hundred, indexes[k++ % indexes.length]!, 0); });
  const perRule = (1e9 / one.perSecond - 1e9 / none.perSecond);
  const perRule100 = (1e9 / many.perSecond - 1e9 / none.perSecond) / 100;
  return [
    '| measurement (100-span traces, already indexed) | ns per trace |',
    '|---|---:|',
    `| no rules (loop overhead) | ${fmt(1e9 / none.perSecond)} |`,
    `| 1 rule whose span names are absent | ${fmt(1e9 / one.perSecond)} (≈ ${fmt(perRule)} for the rule) |`,
    `| 100 such rules | ${fmt(1e9 / many.perSecond)} (≈ ${perRule100.toFixed(1)} per rule) |`,
  ];
}
