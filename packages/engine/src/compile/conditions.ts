import type { AggregateAtom, Condition, RelationAtom, TraceAtom } from '@betrace/dsl';
import type { Span } from '../span.ts';
import { compareNumbers, compareValues } from '../values.ts';
import type { EvalContext, SlotAllocator } from './context.ts';
import { allocateSlot } from './context.ts';
import { compileAggregate } from './aggregates.ts';
import { compileField } from './fields.ts';
import { inListTest, literalTest } from './literal-tests.ts';
import { compilePattern } from './patterns.ts';
import { relationHolds, relationParticipants } from './relations.ts';
import { traceValue } from './trace-values.ts';

export interface CompiledCondition {
  test(ctx: EvalContext): boolean;
  /** Adds the spans that made the condition true (see docs/architecture.md); call only when true. */
  witness(ctx: EvalContext, out: Set<Span>): void;
  usesLabel: boolean;
}

const noWitness = (): void => {};

/** Compiles a condition into closures; atoms that ignore the label are decided once per evaluation. */
export function compileCondition(c: Condition, slots: SlotAllocator): CompiledCondition {
  switch (c.kind) {
    case 'and': {
      const l = compileCondition(c.left, slots);
      const r = compileCondition(c.right, slots);
      return {
        test: (ctx) => l.test(ctx) && r.test(ctx),
        witness: (ctx, out) => {
          l.witness(ctx, out);
          r.witness(ctx, out);
        },
        usesLabel: l.usesLabel || r.usesLabel,
      };
    }
    case 'or': {
      const l = compileCondition(c.left, slots);
      const r = compileCondition(c.right, slots);
      return {
        test: (ctx) => l.test(ctx) || r.test(ctx),
        witness: (ctx, out) => {
          if (l.test(ctx)) l.witness(ctx, out);
          if (r.test(ctx)) r.witness(ctx, out);
        },
        usesLabel: l.usesLabel || r.usesLabel,
      };
    }
    case 'not': {
      const o = compileCondition(c.operand, slots);
      return { test: (ctx) => !o.test(ctx), witness: noWitness, usesLabel: o.usesLabel };
    }
    case 'exists': {
      const p = compilePattern(c.pattern, slots);
      return {
        test: (ctx) => p.match(ctx).length > 0,
        witness: (ctx, out) => {
          for (const s of p.match(ctx)) out.add(s);
        },
        usesLabel: p.usesLabel,
      };
    }
    case 'aggregate':
      return memoize(compileAggregateAtom(c, slots), slots);
    case 'trace':
      return compileTraceAtom(c);
    case 'relation':
      return memoize(compileRelation(c, slots), slots);
    default:
      return assertNever(c);
  }
}

function compileAggregateAtom(c: AggregateAtom, slots: SlotAllocator): CompiledCondition {
  const left = compileAggregate(c.left, slots);
  const op = c.op;
  const rightNode = c.right;
  if (rightNode.kind === 'aggregate_fn') {
    const right = compileAggregate(rightNode, slots);
    return {
      test: (ctx) => {
        const x = left.value(ctx);
        if (x === undefined) return false;
        const y = right.value(ctx);
        return y !== undefined && compareNumbers(x, op, y);
      },
      witness: (ctx, out) => {
        for (const s of left.pattern.match(ctx)) out.add(s);
        for (const s of right.pattern.match(ctx)) out.add(s);
      },
      usesLabel: left.usesLabel || right.usesLabel,
    };
  }
  const y = rightNode.kind === 'number' ? rightNode.value : rightNode.nanos;
  return {
    test: (ctx) => {
      const x = left.value(ctx);
      return x !== undefined && compareNumbers(x, op, y);
    },
    witness: (ctx, out) => {
      for (const s of left.pattern.match(ctx)) out.add(s);
    },
    usesLabel: left.usesLabel,
  };
}

function compileTraceAtom(c: TraceAtom): CompiledCondition {
  const field = c.field;
  const t = c.test;
  if (t.kind === 'in') {
    const inList = inListTest(t.values, false);
    return { test: (ctx) => inList(traceValue(ctx.index, field)), witness: noWitness, usesLabel: false };
  }
  const value = t.value;
  const op = t.op;
  if (value.kind === 'label_field') {
    const right = compileField(value);
    const read = right.read;
    return {
      test: (ctx) => {
        const b = ctx.bound;
        return compareValues(traceValue(ctx.index, field), op, b === undefined ? undefined : read(b, b), right.caseInsensitive);
      },
      witness: noWitness,
      usesLabel: true,
    };
  }
  const check = literalTest(op, value, false);
  return { test: (ctx) => check(traceValue(ctx.index, field)), witness: noWitness, usesLabel: false };
}

function compileRelation(c: RelationAtom, slots: SlotAllocator): CompiledCondition {
  const left = compilePattern(c.left, slots);
  const right = compilePattern(c.right, slots);
  const rel = c.relation;
  if (c.within !== undefined && rel !== 'before' && rel !== 'after') {
    throw new Error(`"within" needs before/after, not ${rel}: the rule was not checked`);
  }
  const within = c.within === undefined ? Infinity : c.within.nanos;
  return {
    test: (ctx) => relationHolds(rel, within, left.match(ctx), right.match(ctx), ctx.index),
    witness: (ctx, out) => relationParticipants(rel, within, left.match(ctx), right.match(ctx), ctx.index, out),
    usesLabel: left.usesLabel || right.usesLabel,
  };
}

/** Caches the truth of a label-independent atom for the rest of the evaluation. */
function memoize(c: CompiledCondition, slots: SlotAllocator): CompiledCondition {
  if (c.usesLabel) return c;
  const slot = allocateSlot(slots);
  const test = c.test;
  return {
    test: (ctx) => {
      let v = ctx.memo[slot] as boolean | undefined;
      if (v === undefined) {
        v = test(ctx);
        ctx.memo[slot] = v;
      }
      return v;
    },
    witness: c.witness,
    usesLabel: false,
  };
}

function assertNever(x: never): never {
  throw new Error(`unexpected condition ${JSON.stringify(x)}`);
}
