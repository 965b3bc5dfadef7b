import { CST, Composer, LineCounter, Parser, isMap, isScalar, isSeq } from 'yaml';
import type { Document, Scalar } from 'yaml';
import { analyzeRule, hasComments, printRule } from '@betrace/dsl';
import type { Problem } from './problem.ts';

/** What formatting one rule file did (or would do). */
export interface FormatResult {
  /** The file with every formattable condition in canonical form; the rest is untouched. */
  text: string;
  /** Ids of the rules whose condition changed. */
  changed: string[];
  /** Problems that kept the file or a rule from being formatted. */
  problems: Problem[];
}

/**
 * Rewrites each rule's `condition` in canonical form (`printRule`), editing only those scalars in
 * the YAML concrete syntax tree so comments, key order, quoting and spacing elsewhere stay as they
 * were. Rules whose condition has errors are left alone and reported.
 */
export function formatRuleFile(file: string, text: string): FormatResult {
  const lineCounter = new LineCounter();
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  const docs = [...new Composer({ keepSourceTokens: true }).compose(tokens)];
  const problem = (offset: number, message: string): Problem => {
    const { line, col } = lineCounter.linePos(offset);
    return { severity: 'error', position: { file, line, column: col }, message };
  };
  const broken = docs.flatMap((d) => d.errors).map((e) => problem(e.pos[0], `invalid YAML: ${e.message.split('\n')[0]}; not formatted`));
  if (broken.length > 0 || docs.length !== 1) return { text, changed: [], problems: broken };
  const changed: string[] = [];
  const problems: Problem[] = [];
  const expected: string[] = [];
  for (const { id, condition } of conditions(docs[0] as Document)) {
    expected.push(String(condition.value).trimEnd());
    const analysis = analyzeRule(String(condition.value));
    if (!analysis.ok) {
      problems.push(problem(condition.range?.[0] ?? 0, `rule "${id}" not formatted: its condition has errors (run betrace lint)`));
      continue;
    }
    const canonical = printRule(analysis.rule);
    const current = String(condition.value);
    if (current.trimEnd() === canonical) continue;
    if (hasComments(current)) {
      // the canonical form has no comments: rewriting would silently delete the author's notes
      problems.push({ ...problem(condition.range?.[0] ?? 0, `rule "${id}" not formatted: its condition has comments, which the canonical form would drop; move them into the rule's description or YAML comments (# …)`), severity: 'warning' });
      continue;
    }
    const token = condition.srcToken;
    if (!token) continue;
    const wasBlock = condition.type === 'BLOCK_LITERAL' || condition.type === 'BLOCK_FOLDED';
    const block = wasBlock || canonical.includes('\n');
    // A block keeps its chomping (`|` vs `|-`); a flow scalar turned into a block gets plain `|`.
    const value = block && (!wasBlock || current.endsWith('\n')) ? `${canonical}\n` : canonical;
    CST.setScalarValue(token, value, { afterKey: true, ...(block ? { type: 'BLOCK_LITERAL' as const } : {}) });
    expected[expected.length - 1] = canonical;
    changed.push(id);
  }
  const output = tokens.map((t) => CST.stringify(t)).join('');
  if (!readsBack(output, expected)) {
    const message = 'internal error: formatting produced YAML that does not read back the same; file left unchanged';
    return { text, changed: [], problems: [...problems, problem(0, message)] };
  }
  return { text: output, changed, problems };
}

interface ConditionNode {
  id: string;
  condition: Scalar;
}

function conditions(doc: Document): ConditionNode[] {
  const rules = isMap(doc.contents) ? doc.contents.get('rules', true) : undefined;
  if (!isSeq(rules)) return [];
  return rules.items.flatMap((item, i) => {
    if (!isMap(item)) return [];
    const condition = item.get('condition', true);
    const id = item.get('id');
    if (!isScalar(condition) || typeof condition.value !== 'string') return [];
    return [{ id: typeof id === 'string' ? id : `#${i + 1}`, condition }];
  });
}

/** The rewritten file must parse cleanly and hold exactly the conditions we meant to write. */
function readsBack(output: string, expected: readonly string[]): boolean {
  const docs = [...new Composer().compose(new Parser().parse(output))];
  const doc = docs[0];
  if (docs.length !== 1 || !doc || doc.errors.length > 0) return false;
  const got = conditions(doc).map((c) => String(c.condition.value).trimEnd());
  return got.length === expected.length && got.every((v, i) => v === expected[i]);
}
