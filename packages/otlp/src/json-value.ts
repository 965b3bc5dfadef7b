/** Small readers over untyped JSON that describe what they found, for error messages. */
import type { RejectReason } from './ingest-limits.ts';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short description of a JSON value for "expected X, found Y" messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      // JSON.stringify escapes control characters, so the message stays on one line.
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `${value}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** Joins a property or index onto a JSON path. */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** Thrown inside the decoder to abandon one span (or resource); caught at that level, never escapes. */
export class FieldError extends Error {
  readonly path: string;
  /** Why the span is rejected, for the ingest counts. */
  readonly reason: RejectReason;
  constructor(path: string, message: string, reason: RejectReason = 'malformed') {
    super(message);
    this.path = path;
    this.reason = reason;
  }
}

export function expectArray(value: unknown, path: string): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new FieldError(path, `expected an array, found ${describe(value)}`);
  return value;
}

export function expectString(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new FieldError(path, `expected a string, found ${describe(value)}`);
  return value;
}

const UNSIGNED = /^[0-9]+$/;
const SIGNED = /^-?[0-9]+$/;

/** An int64/uint64 field, which OTLP/JSON writes as a decimal string or a JSON number. */
export function expectInt64(value: unknown, path: string, unsigned: boolean): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'number' && Number.isInteger(value) && (!unsigned || value >= 0)) {
    return BigInt(value);
  }
  if (typeof value === 'string' && (unsigned ? UNSIGNED : SIGNED).test(value)) return BigInt(value);
  const what = unsigned ? 'a non-negative integer' : 'an integer';
  throw new FieldError(path, `expected ${what} (as a decimal string or a number), found ${describe(value)}`);
}
