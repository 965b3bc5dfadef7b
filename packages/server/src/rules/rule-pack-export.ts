import type { StoredRule } from '@betrace/store';
import { Document, isMap, isScalar, isSeq, Scalar } from 'yaml';

/**
 * All rules as one YAML rule pack in the rule-file format (`rules: [...]`) that `betrace check`,
 * `--rules DIR` and the import endpoint read. Conditions are literal blocks so they keep their lines.
 */
export function exportRulePack(rules: readonly StoredRule[], exportedAt: Date): string {
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const doc = new Document({
    rules: sorted.map((r) => ({
      id: r.id, name: r.name, ...(r.description ? { description: r.description } : {}), severity: r.severity,
      tags: r.tags, enabled: r.enabled, condition: r.condition,
    })),
  });
  doc.commentBefore = ` BeTrace rule pack exported ${exportedAt.toISOString()} (${sorted.length} rule${sorted.length === 1 ? '' : 's'})`;
  const list = doc.get('rules');
  if (isSeq(list)) {
    for (const item of list.items) {
      if (!isMap(item)) continue;
      const condition = item.get('condition', true);
      // A literal block is exact unless a line ends in spaces or the text starts with a space;
      // then the library picks a quoted form by itself, which also reads back exactly.
      if (isScalar(condition) && String(condition.value).includes('\n')) condition.type = Scalar.BLOCK_LITERAL;
      const tags = item.get('tags', true);
      if (isSeq(tags)) tags.flow = true;
    }
  }
  return doc.toString({ lineWidth: 0 });
}
