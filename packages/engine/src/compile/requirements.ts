import type { Aggregate, AggregateAtom, Condition, Pattern, Rule } from '@betrace/dsl';
import { compareNumbers } from '../values.ts';

/** A set of span names at least one of which the trace must hold; `undefined` when there is none. */
type Names = ReadonlySet<string> | undefined;

/**
 * The span names a trace must contain (at least one of) for the rule to possibly be violated, or
 * `undefined` when any trace might violate it. A violation needs `when` (and, without `always`,
 * `never`) to hold, and most conditions cannot hold without their patterns' spans.
 */
export function ruleRequiredNames(rule: Rule): string[] | undefined {
  let names: Names;
  if (rule.when !== undefined) {
    names = requiredNames(rule.when.condition);
    if (rule.always === undefined && rule.never !== undefined) names = pick(names, requiredNames(rule.never.condition));
  } else if (rule.always === undefined && rule.never !== undefined) {
    names = requiredNames(rule.never.condition);
  }
  return names === undefined ? undefined : [...names];
}

/** Names at least one of which must be present for `c` to be true. */
export function requiredNames(c: Condition): Names {
  switch (c.kind) {
    case 'and':
      return pick(requiredNames(c.left), requiredNames(c.right));
    case 'or': {
      const l = requiredNames(c.left);
      const r = requiredNames(c.right);
      return l === undefined || r === undefined ? undefined : new Set([...l, ...r]);
    }
    case 'not':
    case 'trace':
      return undefined;
    case 'exists':
      return patternNames(c.pattern);
    case 'relation':
      return pick(patternNames(c.left), patternNames(c.right));
    case 'aggregate':
      return aggregateNames(c);
    default:
      return assertNever(c);
  }
}

function aggregateNames(c: AggregateAtom): Names {
  const left = c.left;
  const right = c.right;
  // Over no spans, count and sum are 0 and avg/min/max make the comparison false.
  if (right.kind !== 'aggregate_fn') {
    const empty = emptyValue(left);
    const y = right.kind === 'number' ? right.value : right.nanos;
    return empty === undefined || !compareNumbers(empty, c.op, y) ? patternNames(left.pattern) : undefined;
  }
  let names: Names;
  if (emptyValue(left) === undefined) names = patternNames(left.pattern);
  if (emptyValue(right) === undefined) names = pick(names, patternNames(right.pattern));
  if (names !== undefined) return names;
  if (compareNumbers(0, c.op, 0)) return undefined;
  const l = patternNames(left.pattern);
  const r = patternNames(right.pattern);
  return l === undefined || r === undefined ? undefined : new Set([...l, ...r]);
}

function emptyValue(agg: Aggregate): number | undefined {
  return agg.fn === 'count' || agg.fn === 'sum' ? 0 : undefined;
}

function patternNames(p: Pattern): Names {
  return p.selector.kind === 'name' ? new Set([p.selector.name]) : undefined;
}

/** Either requirement suffices (both are necessary): keep the narrower one. */
function pick(a: Names, b: Names): Names {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.size < a.size ? b : a;
}

function assertNever(x: never): never {
  throw new Error(`unexpected condition ${JSON.stringify(x)}`);
}
