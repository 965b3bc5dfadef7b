import { checkRule, printRule } from '@betrace/dsl';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { compileRule } from '../compile/rule.ts';
import type { RuleDefinition } from '../rule.ts';
import type { Trace } from '../span.ts';
import { seededRandom } from '../testing/prng.ts';
import { randomRule } from '../testing/random-rule.ts';
import { randomTrace } from '../testing/random-trace.ts';
import { indexTrace } from '../trace-index.ts';
import { interpretRule } from './interpret.ts';

// Override with BETRACE_SEED=<n> to reproduce a failure printed below.
const SEED = Number(process.env.BETRACE_SEED ?? 20240611);
// Many small traces find edge cases; a few larger ones exercise the search paths of relations.
const RUNS = [
  { rules: 500, traces: 80, maxSpans: 10 },
  { rules: 150, traces: 15, maxSpans: 40 },
];

function describeTrace(t: Trace): string {
  return JSON.stringify(
    t.spans.map((s) => ({ ...s, attributes: Object.fromEntries(s.attributes), resource: Object.fromEntries(s.resource) })),
    (_k, v: unknown) => (v instanceof Uint8Array ? `bytes(${[...v].join(',')})` : v),
  );
}

describe('compiled evaluator vs reference interpreter', () => {
  it.each(RUNS)(`agree on every verdict and witness set: $rules rules × $traces traces of < $maxSpans spans (seed ${SEED})`, ({ rules: RULES, traces: TRACES, maxSpans }) => {
    const r = seededRandom(SEED + maxSpans);
    const traces = Array.from({ length: TRACES }, () => randomTrace(r, maxSpans));
    const indexes = traces.map(indexTrace);
    const stats = { judged: 0, violations: 0, labelled: 0, offending: 0, rejected: 0 };
    for (let i = 0; i < RULES; i++) {
      const rule = randomRule(r);
      // Generated rules are meant to be valid; skip (and count) any the checker rejects.
      if (checkRule(rule).some((d) => d.severity === 'error')) {
        stats.rejected++;
        continue;
      }
      const def: RuleDefinition = { id: `r${i}`, name: `r${i}`, severity: 'low', text: '', rule };
      const compiled = compileRule(def);
      for (let j = 0; j < TRACES; j++) {
        const trace = traces[j] as Trace;
        const got = compiled.evaluate(indexes[j]!);
        const want = interpretRule(def, trace);
        stats.judged++;
        stats.violations += want.length;
        stats.labelled += want.filter((v) => v.boundSpanId !== undefined).length;
        stats.offending += want.filter((v) => v.offending.length > 0).length;
        if (!isDeepStrictEqual(got, want)) {
          expect.fail(
            `seed ${SEED} (maxSpans ${maxSpans}), rule ${i}, trace ${j}\nrule:\n${printRule(rule)}\ntrace: ${describeTrace(trace)}\n` +
              `compiled:  ${JSON.stringify(got)}\nreference: ${JSON.stringify(want)}`,
          );
        }
      }
    }
    // The generators must actually exercise violations of every kind, or this test proves nothing.
    expect(stats.rejected).toBeLessThan(RULES / 10);
    expect(stats.violations).toBeGreaterThan(stats.judged / 10);
    expect(stats.labelled).toBeGreaterThan(stats.judged / 50);
    expect(stats.offending).toBeGreaterThan(stats.judged / 50);
  });
});
