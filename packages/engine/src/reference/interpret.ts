import type { Aggregate, Condition, Field, Literal, Pattern, Predicate, RelationAtom, TraceField, ValueTest } from '@betrace/dsl';
import { printCondition } from '@betrace/dsl';
import type { RuleDefinition } from '../rule.ts';
import type { Span, Trace } from '../span.ts';
import { compareSpans, orderedIds } from '../span-order.ts';
import type { FieldValue } from '../values.ts';
import { asNumber, compareValues, isEnumIntrinsic, isTruthy, testNull } from '../values.ts';
import type { RuleViolation } from '../violation.ts';

/**
 * The reference interpreter: walks the tree over every span with nested loops, no indexes, no
 * caches, no guards. Slow on purpose, so it can be read against the spec; the compiled evaluator
 * must produce exactly the same violations (see differential.test.ts).
 */
export function interpretRule(def: RuleDefinition, trace: Trace): RuleViolation[] {
  const spans = distinctSpans(trace);
  const rule = def.rule;
  const labelled = rule.when === undefined ? undefined : labelledPattern(rule.when.condition);
  const labelName = labelled?.label?.name;
  const judge = (w: World, trigger: string[]): RuleViolation | undefined => {
    const alwaysFails = rule.always !== undefined && !holds(w, rule.always.condition);
    const neverHolds = rule.never !== undefined && holds(w, rule.never.condition);
    if (!alwaysFails && !neverHolds) return undefined;
    const reasons: string[] = [];
    if (alwaysFails && rule.always) reasons.push(`missing: ${printCondition(rule.always.condition, labelName)}`);
    if (neverHolds && rule.never) reasons.push(`forbidden: ${printCondition(rule.never.condition, labelName)}`);
    const offending = neverHolds && rule.never ? orderedIds(witnesses(w, rule.never.condition)) : [];
    return { trigger, offending, reason: reasons.join('; ') };
  };

  if (labelled === undefined) {
    const w: World = { spans, bound: undefined };
    if (rule.when !== undefined && !holds(w, rule.when.condition)) return [];
    const v = judge(w, rule.when === undefined ? [] : orderedIds(witnesses(w, rule.when.condition)));
    return v === undefined ? [] : [v];
  }
  const out: RuleViolation[] = [];
  for (const s of spans) {
    const w: World = { spans, bound: s };
    if (!matches(w, labelled, s)) continue;
    if (rule.when !== undefined && !holds(w, rule.when.condition)) continue;
    const v = judge(w, [s.spanId]);
    if (v !== undefined) out.push({ boundSpanId: s.spanId, ...v });
  }
  return out;
}

interface World {
  /** Distinct spans, ordered by start, then id. */
  spans: Span[];
  bound: Span | undefined;
}

function distinctSpans(trace: Trace): Span[] {
  const out: Span[] = [];
  for (const s of trace.spans) if (!out.some((x) => x.spanId === s.spanId)) out.push(s);
  return out.sort(compareSpans);
}

function labelledPattern(c: Condition): Pattern | undefined {
  const all: Pattern[] = [];
  collectPatterns(c, all);
  return all.find((p) => p.label !== undefined);
}

function collectPatterns(c: Condition, out: Pattern[]): void {
  switch (c.kind) {
    case 'and':
    case 'or':
      collectPatterns(c.left, out);
      collectPatterns(c.right, out);
      return;
    case 'not':
      collectPatterns(c.operand, out);
      return;
    case 'exists':
      out.push(c.pattern);
      return;
    case 'aggregate':
      out.push(c.left.pattern);
      if (c.right.kind === 'aggregate_fn') out.push(c.right.pattern);
      return;
    case 'relation':
      out.push(c.left, c.right);
      return;
    case 'trace':
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Conditions and their witnesses.

function holds(w: World, c: Condition): boolean {
  switch (c.kind) {
    case 'and':
      return holds(w, c.left) && holds(w, c.right);
    case 'or':
      return holds(w, c.left) || holds(w, c.right);
    case 'not':
      return !holds(w, c.operand);
    case 'exists':
      return matching(w, c.pattern).length > 0;
    case 'aggregate': {
      const x = aggregate(w, c.left);
      const y = c.right.kind === 'aggregate_fn' ? aggregate(w, c.right) : c.right.kind === 'number' ? c.right.value : c.right.nanos;
      return x !== undefined && y !== undefined && compareValues(x, c.op, y, false);
    }
    case 'trace': {
      const right = c.test.kind === 'op' && c.test.value.kind === 'label_field' ? c.test.value : undefined;
      return testValue(w, traceValue(w, c.field), c.test, right !== undefined && isEnum(right));
    }
    case 'relation':
      return relatedPairs(w, c).length > 0;
  }
}

/** The spans that made `c` true (docs/architecture.md, "Violations and witnesses"). */
function witnesses(w: World, c: Condition): Set<Span> {
  const out = new Set<Span>();
  if (!holds(w, c)) return out;
  switch (c.kind) {
    case 'and':
    case 'or':
      for (const s of witnesses(w, c.left)) out.add(s);
      for (const s of witnesses(w, c.right)) out.add(s);
      break;
    case 'not':
    case 'trace':
      break;
    case 'exists':
      for (const s of matching(w, c.pattern)) out.add(s);
      break;
    case 'aggregate':
      for (const s of matching(w, c.left.pattern)) out.add(s);
      if (c.right.kind === 'aggregate_fn') for (const s of matching(w, c.right.pattern)) out.add(s);
      break;
    case 'relation':
      for (const [a, b] of relatedPairs(w, c)) out.add(a).add(b);
      break;
  }
  return out;
}

function aggregate(w: World, agg: Aggregate): number | undefined {
  const spans = matching(w, agg.pattern);
  if (agg.fn === 'count') return spans.length;
  const numbers: number[] = [];
  for (const s of spans) {
    const x = agg.field === undefined ? undefined : asNumber(field(w, s, agg.field));
    if (x !== undefined) numbers.push(x);
  }
  const sum = numbers.reduce((acc, x) => acc + x, 0);
  if (agg.fn === 'sum') return sum;
  if (numbers.length === 0) return undefined;
  if (agg.fn === 'avg') return sum / numbers.length;
  return agg.fn === 'min' ? Math.min(...numbers) : Math.max(...numbers);
}

function traceValue(w: World, f: TraceField): FieldValue {
  const roots = w.spans.filter((s) => s.parentSpanId === undefined);
  const root = roots[0];
  switch (f) {
    case 'duration':
      return w.spans.length === 0 ? undefined : Math.max(...w.spans.map((s) => s.end)) - Math.min(...w.spans.map((s) => s.start));
    case 'span_count':
      return w.spans.length;
    case 'service_count':
      return new Set(w.spans.map((s) => s.service).filter((x) => x !== '')).size;
    case 'error_count':
      return w.spans.filter((s) => s.status === 'error').length;
    case 'root_name':
      return root?.name;
    case 'root_service':
      return root === undefined || root.service === '' ? undefined : root.service;
  }
}

/** Every pair (a, b), a ≠ b, of the relation, by brute force over A × B. */
function relatedPairs(w: World, c: RelationAtom): [Span, Span][] {
  const pairs: [Span, Span][] = [];
  const d = c.within?.nanos;
  for (const a of matching(w, c.left)) {
    for (const b of matching(w, c.right)) {
      if (a === b) continue;
      let ok: boolean;
      switch (c.relation) {
        case 'before':
          ok = a.end <= b.start && (d === undefined || b.start - a.end <= d);
          break;
        case 'after':
          ok = b.end <= a.start && (d === undefined || a.start - b.end <= d);
          break;
        case 'parent_of':
          ok = b.parentSpanId === a.spanId;
          break;
        case 'child_of':
          ok = a.parentSpanId === b.spanId;
          break;
        case 'ancestor_of':
          ok = isAncestor(w, a, b);
          break;
        case 'descendant_of':
          ok = isAncestor(w, b, a);
          break;
      }
      if (ok) pairs.push([a, b]);
    }
  }
  return pairs;
}

/** Whether `a` is on `b`'s path to the root; a visited set stops at parent cycles. */
function isAncestor(w: World, a: Span, b: Span): boolean {
  const visited = new Set<Span>();
  let x = parent(w, b);
  while (x !== undefined && !visited.has(x)) {
    if (x === a) return true;
    visited.add(x);
    x = parent(w, x);
  }
  return false;
}

function parent(w: World, s: Span): Span | undefined {
  return w.spans.find((x) => x.spanId === s.parentSpanId && x !== s);
}

// ---------------------------------------------------------------------------------------------
// Patterns, predicates and fields.

function matching(w: World, p: Pattern): Span[] {
  return w.spans.filter((s) => matches(w, p, s));
}

function matches(w: World, p: Pattern, s: Span): boolean {
  const sel = p.selector;
  if (sel.kind === 'name' && s.name !== sel.name) return false;
  if (sel.kind === 'label_ref' && s !== w.bound) return false;
  // While a labelled rule is judged with p = s, the labelled pattern stands for s alone.
  if (p.label !== undefined && s !== w.bound) return false;
  return p.wheres.every((pr) => predicate(w, s, pr));
}

function predicate(w: World, s: Span, p: Predicate): boolean {
  switch (p.kind) {
    case 'por':
      return predicate(w, s, p.left) || predicate(w, s, p.right);
    case 'pand':
      return predicate(w, s, p.left) && predicate(w, s, p.right);
    case 'pnot':
      return !predicate(w, s, p.operand);
    case 'truthy':
      return isTruthy(field(w, s, p.field));
    case 'test': {
      const right = p.test.kind === 'op' && p.test.value.kind === 'label_field' ? p.test.value : undefined;
      return testValue(w, field(w, s, p.field), p.test, isEnum(p.field) || (right !== undefined && isEnum(right)), s);
    }
  }
}

function testValue(w: World, left: FieldValue, t: ValueTest, ci: boolean, s?: Span): boolean {
  if (t.kind === 'in') return t.values.some((lit) => lit.kind !== 'null' && compareValues(left, '==', literal(lit), ci));
  const v = t.value;
  if (v.kind === 'null') return testNull(left, t.op);
  const right = v.kind === 'label_field' ? field(w, s ?? (w.bound as Span), v) : literal(v);
  return compareValues(left, t.op, right, ci);
}

function literal(lit: Literal): FieldValue {
  switch (lit.kind) {
    case 'duration':
      return lit.nanos;
    case 'null':
      return undefined;
    default:
      return lit.value;
  }
}

function isEnum(f: Field): boolean {
  const inner = f.kind === 'label_field' ? f.field : f;
  return inner.kind === 'intrinsic' && isEnumIntrinsic(inner.name);
}

function field(w: World, s: Span, f: Field): FieldValue {
  switch (f.kind) {
    case 'label_field':
      return w.bound === undefined ? undefined : field(w, w.bound, f.field);
    case 'attr':
      if (f.scope === 'resource') return s.resource.get(f.key);
      return s.attributes.has(f.key) ? s.attributes.get(f.key) : s.resource.get(f.key);
    case 'intrinsic':
      switch (f.name) {
        case 'name':
          return s.name;
        case 'duration':
          return s.duration;
        case 'kind':
          return s.kind;
        case 'status':
          return s.status;
        case 'status_message':
          return s.statusMessage === '' ? undefined : s.statusMessage;
        case 'service':
          return s.service === '' ? undefined : s.service;
        case 'id':
          return s.spanId;
        case 'parent_id':
          return s.parentSpanId;
        case 'start':
          return s.start;
        case 'end':
          return s.end;
      }
  }
}
