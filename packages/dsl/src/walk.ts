import type {
  BlockKeyword, Condition, Field, Pattern, Predicate, Rule, ValueTest,
} from './ast.ts';

/** Where in the rule a node sits. */
export interface WalkContext {
  block: BlockKeyword;
  /** Under `not` (an odd or even number of them: any `not` means the node is not a positive match). */
  negated: boolean;
  /** Under `or`. */
  underOr: boolean;
}

/** Callbacks for `walkRule`; each is optional. Field callbacks may return a replacement field. */
export interface Visitor {
  condition?(c: Condition, ctx: WalkContext): void;
  pattern?(p: Pattern, ctx: WalkContext): void;
  predicate?(p: Predicate, ctx: WalkContext): void;
  test?(t: ValueTest, field: Field | undefined, ctx: WalkContext): void;
  field?(f: Field, ctx: WalkContext): Field | void;
}

/** Visits every node of a rule in source-independent order: when, always, never. */
export function walkRule(rule: Rule, v: Visitor): void {
  for (const block of [rule.when, rule.always, rule.never]) {
    if (block) walkCondition(block.condition, v, { block: block.keyword, negated: false, underOr: false });
  }
}

export function walkCondition(c: Condition, v: Visitor, ctx: WalkContext): void {
  v.condition?.(c, ctx);
  switch (c.kind) {
    case 'or':
      walkCondition(c.left, v, { ...ctx, underOr: true });
      walkCondition(c.right, v, { ...ctx, underOr: true });
      return;
    case 'and':
      walkCondition(c.left, v, ctx);
      walkCondition(c.right, v, ctx);
      return;
    case 'not':
      walkCondition(c.operand, v, { ...ctx, negated: true });
      return;
    case 'exists':
      walkPattern(c.pattern, v, ctx);
      return;
    case 'aggregate':
      for (const a of c.right.kind === 'aggregate_fn' ? [c.left, c.right] : [c.left]) {
        walkPattern(a.pattern, v, ctx);
        if (a.field) a.field = visitField(a.field, v, ctx);
      }
      return;
    case 'trace':
      v.test?.(c.test, undefined, ctx);
      walkTestValues(c.test, v, ctx);
      return;
    case 'relation':
      walkPattern(c.left, v, ctx);
      walkPattern(c.right, v, ctx);
      return;
    default:
      assertNever(c);
  }
}

function walkPattern(p: Pattern, v: Visitor, ctx: WalkContext): void {
  v.pattern?.(p, ctx);
  for (const w of p.wheres) walkPredicate(w, v, ctx);
}

function walkPredicate(p: Predicate, v: Visitor, ctx: WalkContext): void {
  v.predicate?.(p, ctx);
  switch (p.kind) {
    case 'por':
    case 'pand':
      walkPredicate(p.left, v, ctx);
      walkPredicate(p.right, v, ctx);
      return;
    case 'pnot':
      walkPredicate(p.operand, v, ctx);
      return;
    case 'test':
      p.field = visitField(p.field, v, ctx);
      v.test?.(p.test, p.field, ctx);
      walkTestValues(p.test, v, ctx);
      return;
    case 'truthy':
      p.field = visitField(p.field, v, ctx);
      return;
    default:
      assertNever(p);
  }
}

function walkTestValues(t: ValueTest, v: Visitor, ctx: WalkContext): void {
  if (t.kind === 'op' && t.value.kind === 'label_field') {
    const f = visitField(t.value, v, ctx);
    if (f.kind === 'label_field') t.value = f;
  }
}

function visitField(f: Field, v: Visitor, ctx: WalkContext): Field {
  return v.field?.(f, ctx) ?? f;
}

/** Exhaustiveness check for `switch` over a closed union. */
export function assertNever(x: never): never {
  throw new Error(`unexpected node: ${JSON.stringify(x)}`);
}
