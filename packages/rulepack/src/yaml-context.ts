import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node, Pair, YAMLMap } from 'yaml';
import type { Position, Problem } from './problem.ts';

/** The file being read: turns node offsets into positions and collects problems. */
export interface YamlContext {
  file: string;
  lineCounter: LineCounter;
  problems: Problem[];
  /** For resolving aliases (`*anchor`), e.g. a trace shared by several examples. */
  doc?: Document;
}

/** The node an alias points to (or the node itself). */
export function resolveNode(ctx: YamlContext, node: Node | null | undefined): Node | null {
  if (node === undefined || node === null) return null;
  if (isAlias(node) && ctx.doc) return (node.resolve(ctx.doc) as Node | undefined) ?? null;
  return node;
}

/** The position of a node (or of an offset) in the file. */
export function positionOf(ctx: YamlContext, at: Node | number | null | undefined): Position {
  const offset = typeof at === 'number' ? at : (at?.range?.[0] ?? 0);
  const { line, col } = ctx.lineCounter.linePos(offset);
  return { file: ctx.file, line, column: col };
}

export function report(ctx: YamlContext, severity: Problem['severity'], at: Node | number | null | undefined, message: string): void {
  ctx.problems.push({ severity, position: positionOf(ctx, at), message });
}

/** A mapping entry whose key is a string. */
export interface Field {
  key: Node;
  value: Node | null;
}

/**
 * Reads a mapping's entries by key. Keys not in `known` get a warning (they are ignored, so a
 * typo does not silently disable a check without notice).
 */
export function readFields(ctx: YamlContext, at: Node | null, what: string, known: readonly string[]): Map<string, Field> | undefined {
  const node = resolveNode(ctx, at);
  if (!isMap(node)) {
    report(ctx, 'error', node, `expected ${what} (a mapping of keys to values), found ${describeNode(node)}`);
    return undefined;
  }
  const fields = new Map<string, Field>();
  for (const pair of (node as YAMLMap).items as Pair<Node | null, Node | null>[]) {
    const key = pair.key;
    if (!isScalar(key) || (typeof key.value !== 'string' && typeof key.value !== 'number')) {
      report(ctx, 'error', key, `expected a plain key in ${what}`);
      continue;
    }
    const name = String(key.value);
    if (!known.includes(name)) {
      report(ctx, 'warning', key, `unknown key "${name}" in ${what} is ignored; known keys: ${known.join(', ')}`);
      continue;
    }
    fields.set(name, { key, value: resolveNode(ctx, pair.value) });
  }
  return fields;
}

/** A string field; numbers are accepted and kept as written. */
export function readString(ctx: YamlContext, field: Field | undefined, what: string): string | undefined {
  if (field === undefined) return undefined;
  const v = field.value;
  if (isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number')) {
    return typeof v.value === 'string' ? v.value : (v.source ?? String(v.value));
  }
  report(ctx, 'error', v ?? field.key, `expected ${what} (a string), found ${describeNode(v)}`);
  return undefined;
}

export function readBool(ctx: YamlContext, field: Field | undefined, what: string): boolean | undefined {
  if (field === undefined) return undefined;
  const v = field.value;
  if (isScalar(v) && typeof v.value === 'boolean') return v.value;
  report(ctx, 'error', v ?? field.key, `expected ${what} (true or false), found ${describeNode(v)}`);
  return undefined;
}

/** A list field; a single scalar is read as a one-item list. */
export function readList(ctx: YamlContext, field: Field | undefined, what: string): (Node | null)[] | undefined {
  if (field === undefined) return undefined;
  const v = field.value;
  if (isSeq(v)) return (v.items as (Node | null)[]).map((item) => resolveNode(ctx, item));
  if (isScalar(v) && v.value !== null) return [v];
  report(ctx, 'error', v ?? field.key, `expected ${what} (a list), found ${describeNode(v)}`);
  return undefined;
}

/** Short description of a YAML node for "expected X, found Y" messages. */
export function describeNode(node: Node | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'null';
    if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
    return `${typeof v} ${String(v)}`;
  }
  return 'an alias';
}
