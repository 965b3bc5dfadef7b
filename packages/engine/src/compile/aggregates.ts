import type { Aggregate } from '@betrace/dsl';
import type { Span } from '../span.ts';
import { asNumber } from '../values.ts';
import type { EvalContext, SlotAllocator } from './context.ts';
import { compileField } from './fields.ts';
import type { CompiledPattern } from './patterns.ts';
import { compilePattern } from './patterns.ts';

export interface CompiledAggregate {
  /** The aggregate's number; `undefined` for avg/min/max over no numbers. */
  value(ctx: EvalContext): number | undefined;
  pattern: CompiledPattern;
  usesLabel: boolean;
}

/** Compiles `count(P)` / `sum|avg|min|max(P, field)`; non-numeric field values are skipped. */
export function compileAggregate(agg: Aggregate, slots: SlotAllocator): CompiledAggregate {
  const pattern = compilePattern(agg.pattern, slots);
  const match = pattern.match;
  if (agg.fn === 'count' || agg.field === undefined) {
    return { value: (ctx) => match(ctx).length, pattern, usesLabel: pattern.usesLabel };
  }
  const field = compileField(agg.field);
  const read = field.read;
  const fn = agg.fn;
  return {
    value: (ctx) => fold(fn, match(ctx), (s) => asNumber(read(s, ctx.bound))),
    pattern,
    usesLabel: pattern.usesLabel || field.usesLabel,
  };
}

function fold(fn: 'sum' | 'avg' | 'min' | 'max', spans: readonly Span[], num: (s: Span) => number | undefined): number | undefined {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const s of spans) {
    const x = num(s);
    if (x === undefined) continue;
    n++;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (fn === 'sum') return sum;
  if (n === 0) return undefined;
  return fn === 'avg' ? sum / n : fn === 'min' ? min : max;
}
