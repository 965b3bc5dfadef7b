import { isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import type { AttrValue, SpanKind, SpanStatus } from '@betrace/engine';
import { parseExampleDuration } from './duration.ts';
import type { ExampleSpec, TraceEntrySpec } from './rule-spec.ts';
import { describeNode, positionOf, readFields, readList, readString, report, resolveNode } from './yaml-context.ts';
import type { Field, YamlContext } from './yaml-context.ts';

const EXAMPLE_KEYS = ['name', 'description', 'expect', 'violations', 'trace'] as const;
const ENTRY_KEYS = [
  'span', 'id', 'parent', 'service', 'kind', 'status', 'status_message', 'start', 'duration', 'attributes', 'resource',
] as const;
const KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUSES: readonly SpanStatus[] = ['unset', 'ok', 'error'];

/**
 * Reads one example; `defaultExpect` is set for the original format's `example_violation`.
 * Returns `undefined` (with problems reported) when the example cannot be run.
 */
export function readExample(ctx: YamlContext, node: Node | null, index: number, defaultExpect?: 'violation'): ExampleSpec | undefined {
  const fields = readFields(ctx, node, 'an example', EXAMPLE_KEYS);
  if (!fields) return undefined;
  const before = ctx.problems.length;
  const name = readString(ctx, fields.get('name') ?? fields.get('description'), 'the example name') ?? `example ${index + 1}`;
  const expect = readExpect(ctx, fields.get('expect'), defaultExpect, node);
  const violations = readCount(ctx, fields.get('violations'));
  if (expect === 'pass' && violations !== undefined && violations > 0) {
    report(ctx, 'error', fields.get('violations')?.value, `"violations: ${violations}" contradicts "expect: pass"`);
  }
  if (expect === 'violation' && violations === 0) {
    report(ctx, 'error', fields.get('violations')?.value, '"violations: 0" contradicts "expect: violation"; write "expect: pass"');
  }
  const traceField = fields.get('trace');
  if (traceField === undefined) report(ctx, 'error', node, 'the example has no "trace": expected a list of spans');
  const trace = readTrace(ctx, traceField);
  if (ctx.problems.slice(before).some((p) => p.severity === 'error') || !expect || !trace) return undefined;
  const spec: ExampleSpec = { name, expect, trace, position: positionOf(ctx, node) };
  if (violations !== undefined) spec.violations = violations;
  return spec;
}

function readExpect(ctx: YamlContext, field: Field | undefined, fallback: 'violation' | undefined, node: Node | null) {
  if (field === undefined) {
    if (fallback === undefined) report(ctx, 'error', node, 'the example has no "expect": write "expect: violation" or "expect: pass"');
    return fallback;
  }
  const text = readString(ctx, field, '"violation" or "pass"')?.toLowerCase();
  if (text === 'violation' || text === 'pass') return text;
  if (text !== undefined) report(ctx, 'error', field.value, `expected "violation" or "pass", found "${text}"`);
  return undefined;
}

function readCount(ctx: YamlContext, field: Field | undefined): number | undefined {
  if (field === undefined) return undefined;
  const v = field.value;
  if (isScalar(v) && typeof v.value === 'number' && Number.isInteger(v.value) && v.value >= 0) return v.value;
  report(ctx, 'error', v ?? field.key, `expected a whole number of violations, found ${describeNode(v)}`);
  return undefined;
}

function readTrace(ctx: YamlContext, field: Field | undefined): TraceEntrySpec[] | undefined {
  const items = readList(ctx, field, 'the example trace');
  if (!items) return undefined;
  if (items.length === 0) {
    report(ctx, 'error', field?.value, 'the example trace is empty: expected at least one span');
    return undefined;
  }
  const localIds = new Map<string, number>();
  const read = items.map((item, i) => {
    const entry = readEntry(ctx, item);
    if (entry?.id !== undefined) {
      if (localIds.has(entry.id)) report(ctx, 'error', entry.idNode, `span id "${entry.id}" is used twice in this trace`);
      localIds.set(entry.id, i);
    }
    return entry;
  });
  read.forEach((entry, i) => {
    if (entry?.parent === undefined) return;
    const parentIndex = resolveParent(ctx, entry.parent, entry.parentNode, localIds, read);
    if (parentIndex === i) report(ctx, 'error', entry.parentNode, 'a span cannot be its own parent');
    else if (parentIndex !== undefined) entry.spec.parentIndex = parentIndex;
  });
  reportCycles(ctx, read);
  return read.every((e) => e !== undefined) ? read.map((e) => e.spec) : undefined;
}

interface ReadEntry {
  spec: TraceEntrySpec;
  id?: string;
  idNode?: Node | null;
  parent?: string;
  parentNode?: Node | null;
}

function readEntry(ctx: YamlContext, node: Node | null): ReadEntry | undefined {
  const fields = readFields(ctx, node, 'a span of the example trace', ENTRY_KEYS);
  if (!fields) return undefined;
  const before = ctx.problems.length;
  const span = readString(ctx, fields.get('span'), 'the span name');
  if (!fields.has('span')) report(ctx, 'error', node, 'the span has no name: add "span: <name>"');
  const spec: TraceEntrySpec = {
    span: span ?? '',
    kind: readEnum(ctx, fields.get('kind'), KINDS, 'internal'),
    status: readEnum(ctx, fields.get('status'), STATUSES, 'unset'),
    statusMessage: readString(ctx, fields.get('status_message'), 'the status message') ?? '',
    attributes: readAttributes(ctx, fields.get('attributes'), 'attributes'),
    resource: readAttributes(ctx, fields.get('resource'), 'resource attributes'),
  };
  const service = readString(ctx, fields.get('service'), 'the service name');
  if (service !== undefined) spec.service = service;
  for (const key of ['start', 'duration'] as const) {
    const field = fields.get(key);
    if (field === undefined) continue;
    const nanos = parseExampleDuration(isScalar(field.value) ? field.value.value : undefined);
    if (nanos === undefined) {
      report(ctx, 'error', field.value ?? field.key, `expected ${key} as a duration like "5ms", "1.5s", "250us" or a number of milliseconds, found ${describeNode(field.value)}`);
    } else spec[key] = nanos;
  }
  const out: ReadEntry = { spec };
  const id = readString(ctx, fields.get('id'), 'the local span id');
  if (id !== undefined) {
    out.id = id;
    out.idNode = fields.get('id')?.value;
  }
  const parent = readString(ctx, fields.get('parent'), 'the parent span');
  if (parent !== undefined) {
    out.parent = parent;
    out.parentNode = fields.get('parent')?.value;
  }
  return ctx.problems.slice(before).some((p) => p.severity === 'error') ? undefined : out;
}

function readEnum<T extends string>(ctx: YamlContext, field: Field | undefined, names: readonly T[], fallback: T): T {
  if (field === undefined) return fallback;
  const text = readString(ctx, field, names.join(' | '))?.toLowerCase();
  const found = names.find((n) => n === text);
  if (found !== undefined) return found;
  if (text !== undefined) report(ctx, 'error', field.value, `expected one of ${names.join(', ')}, found "${text}"`);
  return fallback;
}

/** Attribute values keep their YAML types; lists of scalars become array attributes. */
function readAttributes(ctx: YamlContext, field: Field | undefined, what: string): Map<string, AttrValue> {
  const out = new Map<string, AttrValue>();
  if (field === undefined || (isScalar(field.value) && field.value.value === null)) return out;
  if (!isMap(field.value)) {
    report(ctx, 'error', field.value, `expected ${what} as a mapping of keys to values, found ${describeNode(field.value)}`);
    return out;
  }
  for (const pair of field.value.items) {
    const key = pair.key as Node | null;
    const keyText = isScalar(key) ? String(key.value) : undefined;
    if (keyText === undefined) {
      report(ctx, 'error', key, `expected a plain attribute key in ${what}`);
      continue;
    }
    const value = attrValue(resolveNode(ctx, pair.value as Node | null));
    if (value === undefined) {
      report(ctx, 'error', (pair.value as Node | null) ?? key, `attribute "${keyText}": expected a string, number, boolean or list of them, found ${describeNode(pair.value as Node | null)}; write nested keys dotted ("http.method: GET")`);
    } else out.set(keyText, value);
  }
  return out;
}

function attrValue(node: Node | null): AttrValue | undefined {
  if (isScalar(node)) {
    const v = node.value;
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
  }
  if (isSeq(node)) {
    const values = node.items.map((item) => attrValue(item as Node | null));
    return values.every((v) => v !== undefined) ? values : undefined;
  }
  return undefined;
}

/** `parent` names a local `id`, or else a span name that appears exactly once. */
function resolveParent(ctx: YamlContext, parent: string, node: Node | null | undefined, ids: Map<string, number>, entries: (ReadEntry | undefined)[]): number | undefined {
  const byId = ids.get(parent);
  if (byId !== undefined) return byId;
  const byName = entries.flatMap((e, i) => (e?.spec.span === parent ? [i] : []));
  if (byName.length === 1) return byName[0];
  const message = byName.length === 0
    ? `no span of this trace has id or name "${parent}"`
    : `"${parent}" names ${byName.length} spans of this trace; give the parent an "id" and refer to it`;
  report(ctx, 'error', node, `unknown parent: ${message}`);
  return undefined;
}

function reportCycles(ctx: YamlContext, entries: (ReadEntry | undefined)[]): void {
  entries.forEach((entry, start) => {
    const seen = new Set<number>([start]);
    let at = entry?.spec.parentIndex;
    while (at !== undefined) {
      if (at === start) {
        report(ctx, 'error', entry?.parentNode, `parent links form a cycle through span "${entry?.spec.span}"`);
        if (entry) delete entry.spec.parentIndex;
        return;
      }
      if (seen.has(at)) return;
      seen.add(at);
      at = entries[at]?.spec.parentIndex;
    }
  });
}
