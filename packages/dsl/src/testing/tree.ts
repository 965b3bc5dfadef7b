/** A syntax tree without what tree equality ignores: source ranges and the compatibility marker. */
export function stripTree(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripTree);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'range' || k === 'fieldRange' || k === 'compat') continue;
    out[k] = stripTree(v);
  }
  return out;
}
