import type { BinaryOp, Literal } from '@betrace/dsl';
import type { FieldValue } from '../values.ts';
import { asBoolean, asNumber, asText, looseEquals } from '../values.ts';
import { regexFor } from '../regex-cache.ts';

/** A test of one field value against a literal known at compile time. */
export type ValueTest = (v: FieldValue) => boolean;

const never: ValueTest = () => false;

/** The literal's value as a field value (`null` has none). */
export function literalValue(lit: Literal): FieldValue {
  switch (lit.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return lit.value;
    case 'duration':
      return lit.nanos;
    case 'null':
      return undefined;
    default:
      return assertNever(lit);
  }
}

/**
 * Specialises `v op literal` once per rule, so the hot path does no literal parsing; the result
 * must agree with `compareValues` in values.ts, which the reference interpreter uses.
 */
export function literalTest(op: BinaryOp, lit: Literal, caseInsensitive: boolean): ValueTest {
  if (lit.kind === 'null') {
    if (op === '==') return (v) => v === undefined;
    if (op === '!=') return (v) => v !== undefined;
    return never;
  }
  const value = literalValue(lit) as string | number | boolean;
  switch (op) {
    case '==':
      return equalsLiteral(value, caseInsensitive);
    case '!=': {
      const eq = equalsLiteral(value, caseInsensitive);
      return (v) => v !== undefined && !eq(v);
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
      return orderLiteral(op, value);
    case 'matches': {
      const source = asText(value);
      const regex = source === undefined ? undefined : regexFor(source);
      if (regex === undefined) return never;
      return (v) => {
        const text = asText(v);
        return text !== undefined && regex.test(text);
      };
    }
    case 'contains': {
      const part = asText(value) as string;
      return (v) => {
        if (typeof v === 'string') return v.includes(part);
        if (typeof v === 'number' || typeof v === 'boolean') return String(v).includes(part);
        if (Array.isArray(v)) return v.some((el: FieldValue) => el !== undefined && looseEquals(el, value, false));
        return false;
      };
    }
    default:
      return assertNever(op);
  }
}

/** `v in [..]`: `==` against any element; `null` elements match nothing (a missing value fails `in`). */
export function inListTest(values: readonly Literal[], caseInsensitive: boolean): ValueTest {
  const tests: ValueTest[] = [];
  for (const lit of values) if (lit.kind !== 'null') tests.push(equalsLiteral(literalValue(lit) as string | number | boolean, caseInsensitive));
  if (tests.length === 1) return tests[0] as ValueTest;
  return (v) => {
    for (const t of tests) if (t(v)) return true;
    return false;
  };
}

function equalsLiteral(value: string | number | boolean, caseInsensitive: boolean): ValueTest {
  if (typeof value === 'number') {
    return (v) => (typeof v === 'number' ? v === value : typeof v === 'string' && asNumber(v) === value);
  }
  if (typeof value === 'boolean') {
    return (v) => (typeof v === 'boolean' ? v === value : typeof v === 'string' && asBoolean(v) === value);
  }
  const num = asNumber(value);
  const bool = asBoolean(value);
  if (caseInsensitive) {
    const lower = value.toLowerCase();
    return (v) =>
      typeof v === 'string' ? v.toLowerCase() === lower : typeof v === 'number' ? v === num : typeof v === 'boolean' && v === bool;
  }
  return (v) => (typeof v === 'string' ? v === value : typeof v === 'number' ? v === num : typeof v === 'boolean' && v === bool);
}

function orderLiteral(op: '<' | '<=' | '>' | '>=', value: string | number | boolean): ValueTest {
  const n = asNumber(typeof value === 'boolean' ? undefined : value);
  if (n === undefined) return never;
  const num = (v: FieldValue): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' ? asNumber(v) : undefined);
  switch (op) {
    case '<':
      return (v) => {
        const x = num(v);
        return x !== undefined && x < n;
      };
    case '<=':
      return (v) => {
        const x = num(v);
        return x !== undefined && x <= n;
      };
    case '>':
      return (v) => {
        const x = num(v);
        return x !== undefined && x > n;
      };
    case '>=':
      return (v) => {
        const x = num(v);
        return x !== undefined && x >= n;
      };
    default:
      return assertNever(op);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`);
}
