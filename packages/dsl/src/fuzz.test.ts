import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { analyzeRule } from './analyze.ts';
import { DIAGNOSTIC_CODES } from './diagnostic.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { parseRule } from './parse/parse-rule.ts';
import { printRule } from './printer.ts';
import { compileRegex } from './regex.ts';
import { validCases } from './testing/corpus.ts';
import { mutate, Random, randomRule, randomText } from './testing/random.ts';
import { stripTree } from './testing/tree.ts';

const SEED = Number(process.env.BETRACE_FUZZ_SEED ?? 20_251_123);
const CODES: ReadonlySet<string> = new Set(DIAGNOSTIC_CODES);

/** The properties every input must have; returns a problem, or undefined. */
function problem(text: string): string | undefined {
  const r = analyzeRule(text);
  for (const d of r.diagnostics) {
    if (!CODES.has(d.code)) return `unknown code ${d.code}`;
    if (!(d.range.start >= 0 && d.range.start <= d.range.end && d.range.end <= text.length)) return `range ${JSON.stringify(d.range)} outside the text (${text.length})`;
    if (d.message === '') return `empty message for ${d.code}`;
  }
  if (r.ok !== !r.diagnostics.some((d) => d.severity === 'error')) return 'ok does not match the diagnostics';
  if (!r.ok) return undefined;
  const printed = printRule(r.rule);
  const again = parseRule(printed);
  if (!again.rule) return `printed text does not parse: ${printed}\n${JSON.stringify(again.diagnostics)}`;
  if (!isDeepStrictEqual(stripTree(again.rule), stripTree(r.rule))) return `printed text parses to another tree: ${printed}`;
  if (printRule(again.rule) !== printed) return `printing is not stable: ${printed}`;
  if (!analyzeRule(printed).ok) return `printed text does not check: ${printed}`;
  return undefined;
}

function run(name: string, count: number, make: (r: Random) => string): void {
  it(`${name} (${count} inputs, seed ${SEED})`, () => {
    const r = new Random(SEED ^ name.length * 7919);
    let ok = 0;
    for (let i = 0; i < count; i++) {
      const text = make(r);
      let found: string | undefined;
      try {
        found = problem(text);
      } catch (e) {
        found = `threw ${e instanceof Error ? e.stack : String(e)}`;
      }
      if (found !== undefined) expect.fail(`seed ${SEED}, input #${i} ${JSON.stringify(text)}: ${found}`);
      if (analyzeRule(text).ok) ok++;
    }
    // a generator that never yields a valid rule would test the round trip on nothing
    if (name.startsWith('grammar')) expect(ok).toBeGreaterThan(count / 10);
  });
}

describe('fuzz: analyzeRule on hostile input never throws, and what it accepts prints back to the same tree', () => {
  const corpus = validCases().map((c) => c.rule);
  run('grammar-generated rules', 3000, randomRule);
  run('mutated corpus rules', 2500, (r) => mutate(r, r.pick(corpus)));
  run('mutated generated rules', 1500, (r) => mutate(r, randomRule(r)));
  run('random text', 1000, randomText);
});

describe('hostile shapes', () => {
  const big = { ...DEFAULT_LIMITS, maxRuleBytes: 10_000_000 };
  const shapes: [string, string][] = [
    ['100 000 parentheses', `always { ${'('.repeat(100_000)}a${')'.repeat(100_000)} }`],
    ['100 000 parentheses, unclosed', `always { ${'('.repeat(100_000)}`],
    ['100 000 nots', `always { ${'not '.repeat(100_000)}a }`],
    ['100 000 nested .where', `always { ${'a.where('.repeat(100_000)}x${')'.repeat(100_000)} }`],
    ['100 000 predicate nots', `always { a.where(${'not '.repeat(100_000)}x) }`],
    ['100 000 ands', `always { ${Array(100_000).fill('a').join(' and ')} }`],
    ['100 000 list items', `always { a.where(x in [${Array(100_000).fill('1').join(', ')}]) }`],
    ['a 1 MB string', `always { a.where(x == "${'x'.repeat(1_000_000)}") }`],
    ['a 1 MB raw regex', `always { a.where(x matches \`${'(a|b)*'.repeat(150_000)}\`) }`],
    ['100 000 blocks', 'always { a } '.repeat(100_000)],
    ['100 000 stray braces', '}'.repeat(100_000)],
    ['100 000 empty blocks', 'when{}'.repeat(100_000)],
  ];
  it.each(shapes)('%s: a diagnostic, no crash', (_, text) => {
    const r = analyzeRule(text, big);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) expect(d.range.end).toBeLessThanOrEqual(text.length);
    // the default limits stop all of them at the door
    expect(analyzeRule(text).diagnostics.map((d) => d.code)).toEqual(['rule_too_long']);
  });

  it('stops deep nesting at the depth limit with too_deep', () => {
    const text = `always { ${'('.repeat(100_000)}a${')'.repeat(100_000)} }`;
    const r = parseRule(text, big);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['too_deep']);
    expect(r.diagnostics[0]?.message).toContain(`deeper than ${DEFAULT_LIMITS.maxDepth} levels`);
  });

  it('caps a depth limit too large for the stack', () => {
    const text = `always { ${'not '.repeat(100_000)}a }`;
    const r = parseRule(text, { ...big, maxDepth: 1e9, maxNodes: 1e9 });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['too_deep']);
    expect(r.diagnostics[0]?.message).toContain('deeper than 1000 levels');
  });

  it('accepts nesting right at the depth limit and prints it back', () => {
    const depth = DEFAULT_LIMITS.maxDepth - 1;
    const text = `always { ${'('.repeat(depth)}a${')'.repeat(depth)} and ${'not '.repeat(depth)}b }`;
    const r = analyzeRule(text);
    expect(r.diagnostics).toEqual([]);
    expect(problem(text)).toBeUndefined();
  });
});

describe('matches runs in linear time', () => {
  it.each([
    ['^(a+)+$', 'a'.repeat(100_000) + 'b', false],
    ['^(a+)+$', 'a'.repeat(100_000), true],
    ['(x+x+)+y', 'x'.repeat(50_000), false],
    ['^(a|a)*$', 'a'.repeat(100_000) + '!', false],
    ['(.*a){20}', 'a'.repeat(20) + 'b'.repeat(50_000), true],
  ])('%s on %#', (pattern, input, want) => {
    const r = compileRegex(pattern);
    if (!r.ok) throw new Error(r.message);
    expect(r.regex.test(input)).toBe(want);
  });
});
