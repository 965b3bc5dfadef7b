/** A value that survives a JSON round trip unchanged (what a JSON column can hold). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A deep copy through JSON. The memory adapters copy with this rather than structuredClone so that
 * they keep exactly what a JSON column would keep (undefined properties dropped, and so on).
 */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
