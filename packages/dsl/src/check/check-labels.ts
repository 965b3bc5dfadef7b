import type { Rule } from '../ast.ts';
import type { Diagnostic } from '../diagnostic.ts';
import { walkRule } from '../walk.ts';

const RESERVED: ReadonlySet<string> = new Set(['span', 'resource', 'trace']);

/** Label rules (spec section 6): one label, declared in `when`, not under `not` or `or`, every use declared. */
export function checkLabels(rule: Rule, out: Diagnostic[]): void {
  let declared: string | undefined;
  const anywhere = new Set<string>();
  walkRule(rule, {
    pattern(p, ctx) {
      if (!p.label) return;
      const { name, range } = p.label;
      anywhere.add(name);
      if (RESERVED.has(name)) {
        out.push({ code: 'reserved_label', severity: 'error', range, message: `"${name}" cannot be a label: it already means something in fields`, hint: 'pick another name, e.g. p' });
      }
      if (ctx.block !== 'when') {
        out.push({
          code: 'label_outside_when', severity: 'error', range,
          message: `label "${name}" is declared in ${ctx.block}; labels are declared in when`,
          hint: `move "${name}: …" into when { … } and refer to it here as ${name}`,
        });
      } else if (ctx.negated || ctx.underOr) {
        out.push({
          code: 'label_under_negation', severity: 'error', range,
          message: `label "${name}" is declared under ${ctx.negated ? 'not' : 'or'}, so it would not bind a span that exists`,
          hint: 'declare the label on a pattern that must match, outside not and or',
        });
      }
      if (declared !== undefined && ctx.block === 'when') {
        out.push({
          code: 'too_many_labels', severity: 'error', range,
          message: `a rule has at most one label; "${declared}" is already declared`,
          hint: 'split the rule, or relate the second span with .where(key == p.key)',
        });
      }
      if (ctx.block === 'when') declared ??= name;
    },
  });
  walkRule(rule, {
    pattern(p) {
      // a label declared in the wrong place already has its own error
      if (p.selector.kind === 'label_ref' && !anywhere.has(p.selector.label)) unknown(p.selector.label, p.selector.range, out);
    },
    field(f) {
      if (f.kind === 'label_field' && !anywhere.has(f.label)) unknown(f.label, f.range, out);
    },
  });
}

function unknown(label: string, range: { start: number; end: number }, out: Diagnostic[]): void {
  out.push({
    code: 'unknown_label', severity: 'error', range,
    message: `"${label}" is not a label of this rule`,
    hint: `declare it in when { ${label}: span.name … }, or write a key or value with dots in quotes`,
  });
}
