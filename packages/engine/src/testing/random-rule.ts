// Random valid rule trees covering every construct, over the vocabulary of random-trace.ts.
import type {
  Aggregate, AggregateFn, BinaryOp, CompareOp, Condition, DurationLiteral, Field, Intrinsic, Literal, Pattern, Predicate, Relation,
  Rule, TraceField,
} from '@betrace/dsl';
import type { Random } from './prng.ts';
import { ATTR_KEYS, SPAN_NAMES } from './random-trace.ts';
import * as ast from './ast.ts';

const LABEL = 'p';
const NAMES = [...SPAN_NAMES, 'e', 'missing'];
const COMPARE_OPS: CompareOp[] = ['==', '!=', '<', '<=', '>', '>='];
const RELATIONS: Relation[] = ['before', 'after', 'parent_of', 'child_of', 'ancestor_of', 'descendant_of'];
const TEXT_INTRINSICS: Intrinsic[] = ['name', 'status_message', 'service', 'id', 'parent_id'];
const REGEXES = ['^a', 'u', 'v$', '^[0-9]+$', 'e|r', '^$', '1', 'tru'];

interface Scope {
  /** The label is declared: label references and label fields may be used. */
  label: boolean;
  depth: number;
}

/** A random rule that the checker accepts (one label at most, declared in `when` outside not/or). */
export function randomRule(r: Random): Rule {
  const labelled = r.chance(0.4);
  const scope: Scope = { label: labelled, depth: 0 };
  const blocks: { when?: Condition; always?: Condition; never?: Condition } = {};
  if (labelled || r.chance(0.6)) blocks.when = labelled ? labelledWhen(r, scope) : condition(r, scope);
  const which = r.int(3);
  if (which !== 1) blocks.always = condition(r, scope);
  if (which !== 0) blocks.never = condition(r, scope);
  return ast.rule(blocks);
}

function labelledWhen(r: Random, scope: Scope): Condition {
  const decl = ast.labelled(LABEL, r.pick(NAMES.slice(0, 4)), ...wheres(r, { ...scope, label: r.chance(0.3) }));
  const roll = r.int(4);
  const atom =
    roll === 0 ? ast.rel(decl, r.pick(RELATIONS), pattern(r, scope)) : roll === 1 ? ast.aggAtom(ast.agg('count', decl), '>', ast.num(0)) : ast.exists(decl);
  if (r.chance(0.5)) return atom;
  const rest = condition(r, { ...scope, depth: 1 });
  return r.chance(0.5) ? ast.and(atom, rest) : ast.and(rest, atom);
}

function condition(r: Random, scope: Scope): Condition {
  const inner = { ...scope, depth: scope.depth + 1 };
  if (scope.depth < 2) {
    const roll = r.int(10);
    if (roll === 0) return ast.and(condition(r, inner), condition(r, inner));
    if (roll === 1) return ast.or(condition(r, inner), condition(r, inner));
    if (roll === 2) return ast.not(condition(r, inner));
  }
  return atom(r, scope);
}

function atom(r: Random, scope: Scope): Condition {
  switch (r.int(6)) {
    case 0:
    case 1:
      return ast.exists(pattern(r, scope));
    case 2:
      return aggregateAtom(r, scope);
    case 3:
      return traceAtom(r, scope);
    default: {
      const relation = r.pick(RELATIONS);
      const ordered = relation === 'before' || relation === 'after';
      return ast.rel(pattern(r, scope), relation, pattern(r, scope), ordered && r.chance(0.5) ? nanos(r.pick([0, 1, 2, 3, 5])) : undefined);
    }
  }
}

function aggregateAtom(r: Random, scope: Scope): Condition {
  const left = aggregate(r, scope);
  const duration = left.field?.kind === 'intrinsic' && left.field.name === 'duration';
  const op = r.pick(COMPARE_OPS);
  if (r.chance(0.25)) {
    const right = aggregate(r, scope);
    const rightDuration = right.field?.kind === 'intrinsic' && right.field.name === 'duration';
    if (duration === rightDuration) return ast.aggAtom(left, op, right);
  }
  return ast.aggAtom(left, op, duration ? nanos(r.pick([0, 1, 2, 4, 9])) : ast.num(r.pick([0, 1, 2, 3, 4.5, -1, 10])));
}

function aggregate(r: Random, scope: Scope): Aggregate {
  const fn: AggregateFn = r.pick(['count', 'count', 'sum', 'avg', 'min', 'max']);
  const p = pattern(r, scope);
  if (fn === 'count') return ast.agg('count', p);
  const field: Field = r.chance(0.6) ? ast.attr(r.pick(ATTR_KEYS)) : ast.intr(r.pick(['duration', 'start', 'end']));
  return ast.agg(fn, p, field);
}

function traceAtom(r: Random, scope: Scope): Condition {
  const field: TraceField = r.pick(['duration', 'span_count', 'service_count', 'error_count', 'root_name', 'root_service']);
  if (field === 'duration') return ast.traceAtom(field, r.pick(COMPARE_OPS), nanos(r.pick([0, 3, 6, 10, 15])));
  if (field === 'root_name' || field === 'root_service') {
    const roll = r.int(5);
    if (roll === 0) return ast.traceAtom(field, 'in', [ast.str(r.pick(NAMES)), ast.str(r.pick(['web', 'db']))]);
    if (roll === 1 && scope.label) return ast.traceAtom(field, r.pick(['==', '!=']), ast.lf(LABEL, r.pick([ast.intr('name'), ast.intr('service'), ast.attr('x')])));
    if (roll === 2) return ast.traceAtom(field, 'matches', ast.str(r.pick(REGEXES)));
    if (roll === 3) return ast.traceAtom(field, r.pick(['==', '!=']), r.chance(0.2) ? ast.nul() : ast.str(r.pick([...NAMES, 'web', 'db'])));
    return ast.traceAtom(field, 'contains', ast.str(r.pick(['a', 'e', 'we'])));
  }
  if (r.chance(0.2)) return ast.traceAtom(field, 'in', [ast.num(r.int(4)), ast.num(r.int(9))]);
  return ast.traceAtom(field, r.pick(COMPARE_OPS), ast.num(r.int(9)));
}

function pattern(r: Random, scope: Scope): Pattern {
  const roll = r.next();
  const selector = scope.label && roll < 0.2 ? { ref: LABEL } : roll < 0.35 ? '*' : r.pick(NAMES);
  return ast.pat(selector, ...wheres(r, scope));
}

function wheres(r: Random, scope: Scope): Predicate[] {
  const n = r.pick([0, 0, 1, 1, 1, 2]);
  return Array.from({ length: n }, () => predicate(r, scope, 0));
}

function predicate(r: Random, scope: Scope, depth: number): Predicate {
  if (depth < 2) {
    const roll = r.int(8);
    if (roll === 0) return ast.pand(predicate(r, scope, depth + 1), predicate(r, scope, depth + 1));
    if (roll === 1) return ast.por(predicate(r, scope, depth + 1), predicate(r, scope, depth + 1));
    if (roll === 2) return ast.pnot(predicate(r, scope, depth + 1));
  }
  return leafPredicate(r, scope);
}

/** One comparison whose operator and value suit the field's type, as the checker demands. */
function leafPredicate(r: Random, scope: Scope): Predicate {
  const kind = r.int(10);
  const viaLabel = scope.label && r.chance(0.15);
  const wrap = (f: Field): Field => (viaLabel && f.kind !== 'label_field' ? ast.lf(LABEL, f as never) : f);
  if (kind <= 3) {
    const key = r.pick([...ATTR_KEYS, 'service.name']);
    const f = wrap(r.chance(0.85) ? ast.attr(key) : ast.res(r.pick(['x', 'service.name'])));
    return attrPredicate(r, scope, f);
  }
  if (kind === 4) {
    const f = wrap(ast.intr(r.pick(['kind', 'status'])));
    const inner = f.kind === 'label_field' ? f.field : f;
    const members = inner.kind === 'intrinsic' && inner.name === 'kind' ? ['server', 'CLIENT', 'internal', 'Producer'] : ['error', 'OK', 'unset'];
    if (r.chance(0.3)) return ast.isIn(f, [ast.str(r.pick(members)), ast.str(r.pick(members))]);
    if (scope.label && r.chance(0.2)) return ast.test(f, r.pick(['==', '!=']), ast.lf(LABEL, inner as never));
    return ast.test(f, r.pick(['==', '!=']), ast.str(r.pick(members)));
  }
  if (kind === 5) {
    const f = wrap(ast.intr('duration'));
    return ast.test(f, r.pick(COMPARE_OPS), nanos(r.pick([0, 1, 2, 3, 5])));
  }
  if (kind === 6) {
    const f = wrap(ast.intr(r.pick(['start', 'end'])));
    if (scope.label && r.chance(0.3)) return ast.test(f, r.pick(COMPARE_OPS), ast.lf(LABEL, ast.intr(r.pick(['start', 'end']))));
    return ast.test(f, r.pick(COMPARE_OPS), ast.num(r.int(14)));
  }
  if (kind === 7) return ast.truthy(wrap(ast.attr(r.pick(ATTR_KEYS))));
  const f = wrap(ast.intr(r.pick(TEXT_INTRINSICS)));
  const roll = r.int(5);
  if (roll === 0) return ast.test(f, 'matches', ast.str(r.pick(REGEXES)));
  if (roll === 1) return ast.test(f, 'contains', ast.str(r.pick(['a', 's', '1', 'we'])));
  if (roll === 2) return ast.isIn(f, [ast.str(r.pick(NAMES)), ast.str(r.pick(['s1', 'web', 'boom']))]);
  if (roll === 3 && scope.label) return ast.test(f, r.pick(['==', '!=', 'contains']), ast.lf(LABEL, ast.intr(r.pick(TEXT_INTRINSICS))));
  return ast.test(f, r.pick(['==', '!=']), r.chance(0.25) ? ast.nul() : ast.str(r.pick([...NAMES, 's1', 's2', 'web', 'boom', ''])));
}

function attrPredicate(r: Random, scope: Scope, f: Field): Predicate {
  const roll = r.int(8);
  if (roll === 0) return ast.test(f, r.pick(['<', '<=', '>', '>=']), r.chance(0.8) ? ast.num(r.pick([0, 1, 1.5, 3, -1])) : ast.str(r.pick(['2', '1e0'])));
  if (roll === 1) return ast.test(f, 'matches', ast.str(r.pick(REGEXES)));
  if (roll === 2) return ast.test(f, 'contains', literal(r));
  if (roll === 3) return ast.isIn(f, [literal(r), literal(r), literal(r)]);
  if (roll === 4) return ast.test(f, r.pick(['==', '!=']), ast.nul());
  if (roll === 5 && scope.label) {
    const op: BinaryOp = r.pick(['==', '!=', '<', '>=', 'contains']);
    return ast.test(f, op, ast.lf(LABEL, ast.attr(r.pick(ATTR_KEYS))));
  }
  return ast.test(f, r.pick(['==', '!=']), literal(r));
}

function literal(r: Random): Literal {
  const v = r.pick<string | number | boolean>([0, 1, 3, 1.5, -1, '1', '3', '3.0', 'u', 'U', 'v', 'true', true, false]);
  return typeof v === 'string' ? ast.str(v) : typeof v === 'number' ? ast.num(v) : ast.bool(v);
}

function nanos(n: number): DurationLiteral {
  return ast.dur(n, 'ns');
}
