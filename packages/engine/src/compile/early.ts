import type { Condition, Rule } from '@betrace/dsl';
import type { Span } from '../span.ts';
import { compilePredicate } from './predicates.ts';

/**
 * A test on one arriving span that, when true, proves the rule is violated by the span's trace
 * whatever else arrives: the trace can be judged before it is complete.
 */
export interface EarlyTest {
  /** Span names the test can be true for; `undefined` when any name can (a `*` pattern). */
  names: readonly string[] | undefined;
  test(span: Span): boolean;
}

/**
 * The early test of a rule, for the one shape where a verdict can no longer change: no `when`, no
 * `always`, and `never { P }` where P is a pattern (or an `or` of patterns) without labels whose
 * `.where` reads only the span itself. Once one span matches, `never` holds for every later state
 * of the trace: spans are never removed, a span id keeps its first arrival, and what the
 * predicate reads (the span's own fields and its resource) cannot change.
 */
export function earlyTest(rule: Rule): EarlyTest | undefined {
  if (rule.when !== undefined || rule.always !== undefined || rule.never === undefined) return undefined;
  const parts = patterns(rule.never.condition);
  if (parts === undefined) return undefined;
  const names = parts.some((p) => p.name === undefined) ? undefined : [...new Set(parts.map((p) => p.name as string))];
  const tests = parts.map((p) => p.test);
  return { names, test: tests.length === 1 ? tests[0]! : (s) => tests.some((t) => t(s)) };
}

interface Part {
  name: string | undefined;
  test: (span: Span) => boolean;
}

function patterns(c: Condition): Part[] | undefined {
  if (c.kind === 'or') {
    const l = patterns(c.left);
    const r = patterns(c.right);
    return l === undefined || r === undefined ? undefined : [...l, ...r];
  }
  if (c.kind !== 'exists') return undefined;
  const p = c.pattern;
  if (p.label !== undefined || p.selector.kind === 'label_ref') return undefined;
  const wheres = p.wheres.map(compilePredicate);
  if (wheres.some((w) => w.usesLabel)) return undefined;
  const name = p.selector.kind === 'name' ? p.selector.name : undefined;
  const tests = wheres.map((w) => w.test);
  return [{
    name,
    test: (s) => {
      if (name !== undefined && s.name !== name) return false;
      for (const t of tests) if (!t(s, undefined)) return false;
      return true;
    },
  }];
}
