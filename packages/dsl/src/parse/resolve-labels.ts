import type { Field, LabelField, Rule } from '../ast.ts';
import { walkRule } from '../walk.ts';
import { type Cursor, ParseAbort } from './cursor.ts';
import { toLabelInner } from './parse-value.ts';

/**
 * Labels may be declared after they are used (`always { … before p } when { p: … }`), so names are
 * bound once the whole rule is read: a bare one-word selector equal to a label becomes a label
 * reference, and a bare key `p.x` becomes a field of the bound span.
 */
export function resolveLabels(rule: Rule, c: Cursor): void {
  const labels = new Set<string>();
  walkRule(rule, { pattern: (p) => { if (p.label) labels.add(p.label.name); } });
  if (labels.size === 0) return;
  try {
    walkRule(rule, {
      pattern(p) {
        if (!p.label && p.selector.kind === 'name' && c.bareSelectors.has(p.selector) && labels.has(p.selector.name)) {
          p.selector = { kind: 'label_ref', label: p.selector.name, range: p.selector.range };
        }
      },
      field(f): Field | void {
        if (f.kind !== 'attr' || !c.bareKeys.has(f)) return;
        const dot = f.key.indexOf('.');
        const label = f.key.slice(0, dot);
        if (dot < 0 || !labels.has(label)) return;
        const lf: LabelField = { kind: 'label_field', label, field: toLabelInner(c, f.key.slice(dot + 1), f.range), range: f.range };
        return lf;
      },
    });
  } catch (e) {
    if (!(e instanceof ParseAbort)) throw e;
  }
}
