import type { Scalar } from 'yaml';
import type { ConditionPosition } from './rule-spec.ts';
import { positionOf } from './yaml-context.ts';
import type { YamlContext } from './yaml-context.ts';

/**
 * Where the condition's text starts in the file. Exact for literal block scalars (`|`), single-line
 * plain scalars and single-line quoted scalars without escapes, where value offsets map line by line
 * onto the file; otherwise (folding, escapes, explicit indentation) the scalar's own start, from
 * which positions are then counted (approximate: right line for one-line scalars, shifted columns).
 */
export function conditionPosition(ctx: YamlContext, node: Scalar, source: string): ConditionPosition {
  const [start, valueEnd] = node.range ?? [0, 0];
  const raw = source.slice(start, valueEnd);
  const scalarStart = { ...positionOf(ctx, start), indent: 0, exact: false };
  switch (node.type) {
    case 'BLOCK_LITERAL': {
      const headerEnd = raw.indexOf('\n');
      // A literal scalar keeps its lines, so value line k is file line (header + 1 + k) at the
      // content indentation — unless an explicit indentation indicator makes that unknowable here.
      if (headerEnd < 0 || /^\|[+-]?[1-9]/.test(raw)) return scalarStart;
      const body = raw.slice(headerEnd + 1);
      const indent = /^( *)\S/m.exec(body)?.[1]?.length ?? 0;
      const at = positionOf(ctx, start + headerEnd + 1);
      return { file: ctx.file, line: at.line, column: indent + 1, indent, exact: true };
    }
    case 'PLAIN':
      return raw.includes('\n') ? scalarStart : { ...scalarStart, exact: true };
    case 'QUOTE_SINGLE':
    case 'QUOTE_DOUBLE': {
      const escape = node.type === 'QUOTE_SINGLE' ? "''" : '\\';
      if (raw.includes('\n') || raw.slice(1, -1).includes(escape)) return scalarStart;
      return { ...positionOf(ctx, start + 1), indent: 0, exact: true };
    }
    default:
      return scalarStart;
  }
}
