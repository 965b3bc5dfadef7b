// The guide's examples are part of the test suite: every ```betrace block must be a valid rule and
// every ```betrace-error block must be rejected, so the docs cannot drift from the language.
import { readFileSync } from 'node:fs';
import { analyzeRule } from '@betrace/dsl';
import { describe, expect, it } from 'vitest';

const guide = readFileSync(new URL('./dsl.md', import.meta.url), 'utf8');

function blocks(info: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  const re = new RegExp('^```' + info + '\\s*\\n([\\s\\S]*?)^```\\s*$', 'gm');
  for (const m of guide.matchAll(re)) {
    out.push({ line: guide.slice(0, m.index).split('\n').length, text: m[1] ?? '' });
  }
  return out;
}

describe('docs/dsl.md', () => {
  const valid = blocks('betrace');
  const invalid = blocks('betrace-error');

  it('has examples of both kinds', () => {
    expect(valid.length).toBeGreaterThan(20);
    expect(invalid.length).toBeGreaterThan(3);
  });

  it.each(valid)('example at line $line is a valid rule', ({ text }) => {
    const r = analyzeRule(text);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it.each(invalid)('error example at line $line is rejected', ({ text }) => {
    expect(analyzeRule(text).ok).toBe(false);
  });
});
