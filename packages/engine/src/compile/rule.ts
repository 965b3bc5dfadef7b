import type { Condition, Pattern } from '@betrace/dsl';
import { printCondition } from '@betrace/dsl';
import type { RuleDefinition } from '../rule.ts';
import type { Span } from '../span.ts';
import { orderedIds } from '../span-order.ts';
import type { TraceIndex } from '../trace-index.ts';
import type { RuleViolation } from '../violation.ts';
import type { CompiledCondition } from './conditions.ts';
import { compileCondition } from './conditions.ts';
import type { EvalContext, SlotAllocator } from './context.ts';
import { type EarlyTest, earlyTest } from './early.ts';
import { labelCandidates } from './patterns.ts';
import { ruleRequiredNames } from './requirements.ts';

/** A rule compiled once into closures, evaluated against many traces. */
export interface CompiledRule {
  readonly def: RuleDefinition;
  /** Judges one trace: one violation per failing bound span (labelled rules), else at most one. */
  evaluate(index: TraceIndex): RuleViolation[];
  /** Set when one arriving span can prove a violation before the trace is complete. */
  readonly early?: EarlyTest | undefined;
}

/** Compiles a checked rule. Throws on trees the checker rejects (a caller bug, not bad input). */
export function compileRule(def: RuleDefinition): CompiledRule {
  const rule = def.rule;
  const slots: SlotAllocator = { next: 0 };
  const when = rule.when === undefined ? undefined : compileCondition(rule.when.condition, slots);
  const always = rule.always === undefined ? undefined : compileCondition(rule.always.condition, slots);
  const never = rule.never === undefined ? undefined : compileCondition(rule.never.condition, slots);
  const labelled = rule.when === undefined ? undefined : findLabelled(rule.when.condition);
  const candidates = labelled === undefined ? undefined : labelCandidates(labelled);
  const required = ruleRequiredNames(rule);
  const label = labelled?.label?.name;
  const missing = rule.always === undefined ? '' : `missing: ${printCondition(rule.always.condition, label)}`;
  const forbidden = rule.never === undefined ? '' : `forbidden: ${printCondition(rule.never.condition, label)}`;
  const slotCount = slots.next;

  const judge = (ctx: EvalContext, trigger: string[], bound: Span | undefined): RuleViolation | undefined => {
    const alwaysFails = always !== undefined && !always.test(ctx);
    const neverHolds = never !== undefined && never.test(ctx);
    if (!alwaysFails && !neverHolds) return undefined;
    const reason = alwaysFails && neverHolds ? `${missing}; ${forbidden}` : alwaysFails ? missing : forbidden;
    const offending = neverHolds ? witnesses(never, ctx) : [];
    return bound === undefined ? { trigger, offending, reason } : { boundSpanId: bound.spanId, trigger, offending, reason };
  };

  return {
    def,
    early: earlyTest(rule),
    evaluate(index) {
      if (required !== undefined && !anyPresent(required, index)) return [];
      const ctx: EvalContext = { index, bound: undefined, memo: new Array(slotCount) };
      if (candidates === undefined) {
        if (when !== undefined && !when.test(ctx)) return [];
        const v = judge(ctx, when === undefined ? [] : witnesses(when, ctx), undefined);
        return v === undefined ? [] : [v];
      }
      const out: RuleViolation[] = [];
      for (const s of candidates(ctx)) {
        ctx.bound = s;
        if (when !== undefined && !when.test(ctx)) continue;
        const v = judge(ctx, [s.spanId], s);
        if (v !== undefined) out.push(v);
      }
      return out;
    },
  };
}

function witnesses(c: CompiledCondition, ctx: EvalContext): string[] {
  const out = new Set<Span>();
  c.witness(ctx, out);
  return orderedIds(out);
}

function anyPresent(names: readonly string[], index: TraceIndex): boolean {
  for (const n of names) if (index.byName.has(n)) return true;
  return false;
}

/** The pattern that declares the rule's label (the checker allows one, in `when`). */
export function findLabelled(c: Condition): Pattern | undefined {
  switch (c.kind) {
    case 'and':
    case 'or':
      return findLabelled(c.left) ?? findLabelled(c.right);
    case 'not':
      return findLabelled(c.operand);
    case 'exists':
      return c.pattern.label === undefined ? undefined : c.pattern;
    case 'aggregate': {
      const r = c.right.kind === 'aggregate_fn' ? c.right.pattern : undefined;
      return [c.left.pattern, r].find((p) => p?.label !== undefined);
    }
    case 'relation':
      return [c.left, c.right].find((p) => p.label !== undefined);
    case 'trace':
      return undefined;
    default:
      return assertNever(c);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected condition ${JSON.stringify(x)}`);
}
