import { describe, expect, it } from 'vitest';
import { ruleDef } from '../testing/evaluate-both.ts';
import { ruleRequiredNames } from './requirements.ts';

describe('ruleRequiredNames', () => {
  const rows: { input: string; want: string[] | undefined }[] = [
    { input: 'when { database.query } always { auth.check }', want: ['database.query'] },
    { input: 'when { p: payment.where(amount > 1) and x } always { fraud before p }', want: ['payment'] },
    { input: 'when { a or b } always { c }', want: ['a', 'b'] },
    { input: 'when { a or * } always { c }', want: undefined },
    { input: 'when { not a } always { c }', want: undefined },
    { input: 'always { auth }', want: undefined }, // a missing span is itself the violation
    { input: 'never { debug }', want: ['debug'] },
    { input: 'when { a } never { b }', want: ['a'] },
    { input: 'never { count(http.retry) > 3 }', want: ['http.retry'] },
    { input: 'never { count(http.retry) < 3 }', want: undefined }, // true on a trace without retries
    { input: 'never { count(a) == 0 }', want: undefined },
    { input: 'never { sum(a, x) >= 0 }', want: undefined },
    { input: 'never { avg(a, x) < 3 }', want: ['a'] },
    { input: 'never { count(a) > count(b) }', want: ['a', 'b'] },
    { input: 'never { count(a) >= count(b) }', want: undefined },
    { input: 'never { x before y within 1s }', want: ['x'] },
    { input: 'never { trace.duration > 5s }', want: undefined },
  ];
  it.each(rows)('$input → $want', ({ input, want }) => {
    expect(ruleRequiredNames(ruleDef(input).rule)).toEqual(want);
  });
});
