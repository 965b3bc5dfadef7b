/**
 * Canonical JSON: object keys sorted, no whitespace, numbers as JavaScript prints them. The same
 * value always serialises to the same bytes, which is what a signature needs. (Built by appending
 * to one string: every violation record is serialised once to be signed, on the hot path.)
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += canonicalJson(value[i]);
    }
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  // sort() without a comparator orders by UTF-16 code units, as `<` on strings does
  const keys = Object.keys(object).sort();
  let out = '{';
  for (const key of keys) {
    const v = object[key];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}
