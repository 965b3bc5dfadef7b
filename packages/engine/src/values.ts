import type { BinaryOp, Intrinsic } from '@betrace/dsl';
import type { AttrValue } from './span.ts';
import { regexFor } from './regex-cache.ts';

/** What a field yields for one span: an attribute value, or `undefined` when it is missing. */
export type FieldValue = AttrValue | undefined;

// The spec's decimal number: `-?digits(.digits)?([eE][+-]?digits)?`, nothing around it.
const DECIMAL = /^-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/** The number a value stands for: numbers, and strings that hold a decimal number. */
export function asNumber(v: FieldValue): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && DECIMAL.test(v)) return Number(v);
  return undefined;
}

/** The boolean a value stands for in an equality with a boolean: `true`/`false` and their strings. */
export function asBoolean(v: FieldValue): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/** Numbers and booleans as text (for `matches` / `contains`); arrays, bytes and missing have none. */
export function asText(v: FieldValue): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** `span.kind` / `span.status` hold enumerations, which compare case-insensitively. */
export function isEnumIntrinsic(name: Intrinsic): boolean {
  return name === 'kind' || name === 'status';
}

/**
 * `==` between two present values: numerically when one side is a number, by truth value when one
 * side is a boolean, else exact string equality. Arrays and bytes equal nothing.
 */
export function looseEquals(a: AttrValue, b: AttrValue, caseInsensitive: boolean): boolean {
  if (typeof a === 'object' || typeof b === 'object') return false;
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    const x = asBoolean(a);
    return x !== undefined && x === asBoolean(b);
  }
  if (typeof a === 'number' || typeof b === 'number') {
    const x = asNumber(a);
    const y = asNumber(b);
    return x !== undefined && y !== undefined && x === y;
  }
  return caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** `< <= > >=`: only between numbers (numeric strings included); anything else is false. */
export function orderValues(a: FieldValue, op: '<' | '<=' | '>' | '>=', b: FieldValue): boolean {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x === undefined || y === undefined) return false;
  return compareNumbers(x, op, y);
}

/** Applies a comparison operator to two numbers. */
export function compareNumbers(x: number, op: '==' | '!=' | '<' | '<=' | '>' | '>=', y: number): boolean {
  switch (op) {
    case '==':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    default:
      return assertNever(op);
  }
}

/** `v matches source`: unanchored RE2 search over the value's text; invalid patterns match nothing. */
export function matchesValue(v: FieldValue, source: FieldValue): boolean {
  const text = asText(v);
  const pattern = asText(source);
  if (text === undefined || pattern === undefined) return false;
  const regex = regexFor(pattern);
  return regex !== undefined && regex.test(text);
}

/** `v contains needle`: substring of the value's text, or membership (with `==`) in an array. */
export function containsValue(v: FieldValue, needle: FieldValue): boolean {
  if (v === undefined || needle === undefined) return false;
  if (Array.isArray(v)) {
    for (const el of v as readonly AttrValue[]) if (looseEquals(el, needle, false)) return true;
    return false;
  }
  const text = asText(v);
  const part = asText(needle);
  return text !== undefined && part !== undefined && text.includes(part);
}

/** A bare field in a predicate: `verified` means `verified == true`. */
export function isTruthy(v: FieldValue): boolean {
  return v !== undefined && looseEquals(v, true, false);
}

/** `left op null`: `==` is "missing", `!=` is "present"; no other operator holds against null. */
export function testNull(left: FieldValue, op: BinaryOp): boolean {
  if (op === '==') return left === undefined;
  if (op === '!=') return left !== undefined;
  return false;
}

/** `left op right` between two values; a missing side makes every operator false. */
export function compareValues(left: FieldValue, op: BinaryOp, right: FieldValue, caseInsensitive: boolean): boolean {
  if (left === undefined || right === undefined) return false;
  switch (op) {
    case '==':
      return looseEquals(left, right, caseInsensitive);
    case '!=':
      return !looseEquals(left, right, caseInsensitive);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return orderValues(left, op, right);
    case 'matches':
      return matchesValue(left, right);
    case 'contains':
      return containsValue(left, right);
    default:
      return assertNever(op);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected operator ${String(x)}`);
}
