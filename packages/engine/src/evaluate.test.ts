import { describe, expect, it } from 'vitest';
import type { CompiledRule } from './compile/rule.ts';
import { compileRule } from './compile/rule.ts';
import { evaluateTrace } from './evaluate.ts';
import { ruleDef } from './testing/evaluate-both.ts';
import { trace } from './testing/spans.ts';
import { indexTrace } from './trace-index.ts';

const t = trace({ id: 'a', name: 'debug' }, { id: 'b', name: 'p', start: 1 }, { id: 'c', name: 'p', start: 2 });

describe('evaluateTrace', () => {
  it('stamps violations with rule identity, trace id and detection time', () => {
    const rules = [compileRule(ruleDef('never { debug }', 'no-debug')), compileRule(ruleDef('always { debug }', 'has-debug'))];
    const result = evaluateTrace(rules, t, 1234);
    expect(result).toEqual({
      violations: [
        {
          ruleId: 'no-debug',
          ruleName: 'rule no-debug',
          severity: 'high',
          traceId: t.traceId,
          trigger: [],
          offending: ['a'],
          reason: 'forbidden: debug',
          detectedAt: 1234,
        },
      ],
      failures: [],
    });
  });

  it('reports one violation per failing bound span', () => {
    const result = evaluateTrace([compileRule(ruleDef('when { q: p } always { auth before q }'))], indexTrace(t), 1);
    expect(result.violations.map((v) => v.boundSpanId)).toEqual(['b', 'c']);
  });

  it('keeps evaluating other rules when one throws, and reports the failure', () => {
    const good = compileRule(ruleDef('never { debug }', 'good'));
    const broken: CompiledRule = {
      def: { ...good.def, id: 'broken' },
      evaluate: () => {
        throw new Error('bug');
      },
    };
    const result = evaluateTrace([broken, good], t, 1);
    expect(result.violations.map((v) => v.ruleId)).toEqual(['good']);
    expect(result.failures).toMatchObject([{ ruleId: 'broken', traceId: t.traceId, message: 'bug' }]);
  });
});
