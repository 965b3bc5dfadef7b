import type { Pattern } from '@betrace/dsl';
import type { Span } from '../span.ts';
import type { EvalContext, SlotAllocator } from './context.ts';
import { allocateSlot } from './context.ts';
import type { SpanTest } from './predicates.ts';
import { compilePredicate } from './predicates.ts';

export interface CompiledPattern {
  /** The spans matching under the current binding, in (start, id) order. */
  match(ctx: EvalContext): readonly Span[];
  /** The result changes with the label binding (label use or definition, or a label field). */
  usesLabel: boolean;
  /** The span name the selector requires; `undefined` for `*` and label references. */
  name: string | undefined;
}

const NONE: readonly Span[] = [];

/**
 * Compiles a pattern. A labelled pattern (`p: …`) matches only the bound span while a rule is
 * judged with `p = s`; `labelCandidates` enumerates the spans it can bind.
 */
export function compilePattern(p: Pattern, slots: SlotAllocator): CompiledPattern {
  const where = compileWheres(p);
  const name = p.selector.kind === 'name' ? p.selector.name : undefined;
  if (p.selector.kind === 'label_ref' || p.label !== undefined) {
    // Under binding s, both a label reference and the labelled pattern itself stand for s; the
    // labelled pattern keeps its selector and wheres so the tree means what it says.
    const selects = selectorTest(p);
    const test = where?.test;
    return {
      match: (ctx) => {
        const b = ctx.bound;
        return b !== undefined && selects(b) && (test === undefined || test(b, b)) ? [b] : NONE;
      },
      usesLabel: true,
      name,
    };
  }
  const base = selectorSpans(p);
  if (where === undefined) return { match: base, usesLabel: false, name };
  if (where.usesLabel) {
    const test = where.test;
    return { match: (ctx) => filter(base(ctx), test, ctx.bound), usesLabel: true, name };
  }
  // Label-independent: computed at most once per evaluation, however many spans get bound.
  const slot = allocateSlot(slots);
  const test = where.test;
  return {
    match: (ctx) => {
      let spans = ctx.memo[slot] as readonly Span[] | undefined;
      if (spans === undefined) {
        spans = filter(base(ctx), test, undefined);
        ctx.memo[slot] = spans;
      }
      return spans;
    },
    usesLabel: false,
    name,
  };
}

/** The spans a labelled pattern can bind: those matching it when judged with `p = s` itself. */
export function labelCandidates(p: Pattern): (ctx: EvalContext) => Span[] {
  const base = selectorSpans(p);
  const where = compileWheres(p);
  return (ctx) => {
    const spans = base(ctx);
    if (where === undefined) return spans.slice();
    const out: Span[] = [];
    for (const s of spans) if (where.test(s, s)) out.push(s);
    return out;
  };
}

function selectorSpans(p: Pattern): (ctx: EvalContext) => readonly Span[] {
  const sel = p.selector;
  if (sel.kind === 'name') {
    const name = sel.name;
    return (ctx) => ctx.index.byName.get(name) ?? NONE;
  }
  return (ctx) => ctx.index.spans;
}

function selectorTest(p: Pattern): (s: Span) => boolean {
  const sel = p.selector;
  if (sel.kind === 'name') {
    const name = sel.name;
    return (s) => s.name === name;
  }
  return () => true;
}

function compileWheres(p: Pattern): { test: SpanTest; usesLabel: boolean } | undefined {
  if (p.wheres.length === 0) return undefined;
  const parts = p.wheres.map(compilePredicate);
  const tests = parts.map((c) => c.test);
  const usesLabel = parts.some((c) => c.usesLabel);
  if (tests.length === 1) return { test: tests[0] as SpanTest, usesLabel };
  return {
    test: (s, b) => {
      for (const t of tests) if (!t(s, b)) return false;
      return true;
    },
    usesLabel,
  };
}

function filter(spans: readonly Span[], test: SpanTest, bound: Span | undefined): readonly Span[] {
  let out: Span[] | undefined;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i] as Span;
    if (test(s, bound)) {
      if (out !== undefined) out.push(s);
    } else if (out === undefined) {
      // Copy lazily: when every span passes, the input list is returned as is.
      out = spans.slice(0, i) as Span[];
    }
  }
  return out ?? spans;
}
