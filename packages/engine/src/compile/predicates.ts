import type { Predicate, PredTest } from '@betrace/dsl';
import type { Span } from '../span.ts';
import { compareValues, isTruthy, testNull } from '../values.ts';
import { compileField } from './fields.ts';
import { inListTest, literalTest } from './literal-tests.ts';

/** Whether one span satisfies a predicate, given the span bound to the label (if any). */
export type SpanTest = (span: Span, bound: Span | undefined) => boolean;

export interface CompiledPredicate {
  test: SpanTest;
  /** Reads the bound span, so the result changes with the label binding. */
  usesLabel: boolean;
}

/** Compiles a `.where(…)` predicate into a closure. */
export function compilePredicate(p: Predicate): CompiledPredicate {
  switch (p.kind) {
    case 'por': {
      const l = compilePredicate(p.left);
      const r = compilePredicate(p.right);
      const lt = l.test;
      const rt = r.test;
      return { test: (s, b) => lt(s, b) || rt(s, b), usesLabel: l.usesLabel || r.usesLabel };
    }
    case 'pand': {
      const l = compilePredicate(p.left);
      const r = compilePredicate(p.right);
      const lt = l.test;
      const rt = r.test;
      return { test: (s, b) => lt(s, b) && rt(s, b), usesLabel: l.usesLabel || r.usesLabel };
    }
    case 'pnot': {
      const o = compilePredicate(p.operand);
      const ot = o.test;
      return { test: (s, b) => !ot(s, b), usesLabel: o.usesLabel };
    }
    case 'truthy': {
      const f = compileField(p.field);
      const read = f.read;
      return { test: (s, b) => isTruthy(read(s, b)), usesLabel: f.usesLabel };
    }
    case 'test':
      return compileTest(p);
    default:
      return assertNever(p);
  }
}

function compileTest(p: PredTest): CompiledPredicate {
  const f = compileField(p.field);
  const read = f.read;
  const test = p.test;
  if (test.kind === 'in') {
    const inList = inListTest(test.values, f.caseInsensitive);
    return { test: (s, b) => inList(read(s, b)), usesLabel: f.usesLabel };
  }
  const value = test.value;
  const op = test.op;
  if (value.kind === 'label_field') {
    // Two fields: the right side is only known once a span is bound.
    const r = compileField(value);
    const readRight = r.read;
    const ci = f.caseInsensitive || r.caseInsensitive;
    return { test: (s, b) => compareValues(read(s, b), op, readRight(s, b), ci), usesLabel: true };
  }
  if (value.kind === 'null') {
    return { test: (s, b) => testNull(read(s, b), op), usesLabel: f.usesLabel };
  }
  const check = literalTest(op, value, f.caseInsensitive);
  return { test: (s, b) => check(read(s, b)), usesLabel: f.usesLabel };
}

function assertNever(x: never): never {
  throw new Error(`unexpected predicate ${JSON.stringify(x)}`);
}
