import { describe, expect, it } from 'vitest';
import { analyzeRule } from './analyze.ts';
import { DIAGNOSTIC_CODES, type Diagnostic } from './diagnostic.ts';
import { parseRule } from './parse/parse-rule.ts';
import { printRule } from './printer.ts';
import { checkFailCases, expectedRange, type FailCase, limitsOf, parseFailCases, validCases } from './testing/corpus.ts';
import { stripTree } from './testing/tree.ts';

const valid = validCases();
const parseFails = parseFailCases();
const checkFails = checkFailCases();

/** Every diagnostic has a message, and a range inside the text. */
function expectWellFormed(text: string, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    expect(DIAGNOSTIC_CODES).toContain(d.code);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.range.start).toBeGreaterThanOrEqual(0);
    expect(d.range.end).toBeGreaterThanOrEqual(d.range.start);
    expect(d.range.end).toBeLessThanOrEqual(text.length);
  }
}

function expectFailure(c: FailCase, diagnostics: readonly Diagnostic[]): void {
  expectWellFormed(c.rule, diagnostics);
  expect(diagnostics.map((d) => d.code)).toEqual(c.codes);
  const first = diagnostics[0];
  const want = expectedRange(c);
  if (want && first) {
    expect({ covers: c.rule.slice(first.range.start, first.range.end), ...first.range })
      .toEqual({ covers: c.rule.slice(want.start, want.end), ...want });
  }
  if (c.message !== undefined) expect(first?.message).toContain(c.message);
}

describe('valid rules', () => {
  it.each(valid.map((c) => [c.rule, c] as const))('%j', (_, c) => {
    const r = analyzeRule(c.rule);
    expectWellFormed(c.rule, r.diagnostics);
    expect(r.diagnostics.map((d) => d.code)).toEqual(c.codes ?? []);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const printed = printRule(r.rule);
    if (c.print !== undefined) expect(printed).toBe(c.print);
    // the round trip: the printed rule parses to the same tree, and printing again changes nothing
    const again = parseRule(printed);
    expect(again.diagnostics).toEqual([]);
    expect(stripTree(again.rule)).toEqual(stripTree(r.rule));
    expect(printRule(again.rule!)).toBe(printed);
    expect(analyzeRule(printed).ok).toBe(true);
  });
});

describe('rules that do not parse', () => {
  it.each(parseFails.map((c) => [c.rule.length > 80 ? c.rule.slice(0, 80) + '…' : c.rule, c] as const))('%j', (_, c) => {
    const r = parseRule(c.rule, limitsOf(c));
    expect(r.rule).toBeUndefined();
    expectFailure(c, r.diagnostics);
    // analyzeRule reports the same problems
    expect(analyzeRule(c.rule, limitsOf(c)).diagnostics).toEqual(r.diagnostics);
  });
});

describe('rules that parse but fail the checks', () => {
  it.each(checkFails.map((c) => [c.rule, c] as const))('%j', (_, c) => {
    const parsed = parseRule(c.rule, limitsOf(c));
    expect(parsed.diagnostics).toEqual([]);
    const r = analyzeRule(c.rule, limitsOf(c));
    expect(r.ok).toBe(false);
    expectFailure(c, r.diagnostics);
  });
});

describe('the corpus', () => {
  it('has a test for every diagnostic code', () => {
    const seen = new Set([...valid.flatMap((c) => c.codes ?? []), ...parseFails.flatMap((c) => c.codes), ...checkFails.flatMap((c) => c.codes)]);
    expect(DIAGNOSTIC_CODES.filter((code) => !seen.has(code))).toEqual([]);
  });

  it('names only codes that exist', () => {
    const named = [...valid.flatMap((c) => c.codes ?? []), ...parseFails.flatMap((c) => c.codes), ...checkFails.flatMap((c) => c.codes)];
    expect(named.filter((code) => !(DIAGNOSTIC_CODES as readonly string[]).includes(code))).toEqual([]);
  });

  it('holds each rule once', () => {
    const rules = [...valid, ...parseFails, ...checkFails].map((c) => c.rule + JSON.stringify((c as FailCase).limits ?? {}));
    expect(rules.filter((r, i) => rules.indexOf(r) !== i)).toEqual([]);
  });
});
