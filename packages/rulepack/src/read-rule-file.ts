import { LineCounter, isScalar, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import type { RuleSeverity } from '@betrace/engine';
import { conditionPosition } from './condition-position.ts';
import type { Problem } from './problem.ts';
import { readExample } from './read-example.ts';
import type { ExampleSpec, RuleSpec } from './rule-spec.ts';
import { positionOf, readBool, readFields, readList, readString, report } from './yaml-context.ts';
import type { Field, YamlContext } from './yaml-context.ts';

const FILE_KEYS = ['rules'] as const;
const RULE_KEYS = [
  'id', 'name', 'description', 'severity', 'tags', 'compliance_frameworks', 'enabled', 'condition', 'examples',
  'example_violation',
] as const;
const SEVERITIES: readonly RuleSeverity[] = ['critical', 'high', 'medium', 'low', 'info'];
const RULE_ID = /^[a-z0-9][a-z0-9._-]*$/;

/** The rules of one file, and every problem found in it (rules with errors are left out). */
export interface RuleFileResult {
  rules: RuleSpec[];
  problems: Problem[];
}

/**
 * Reads a YAML rule file: `rules: [{ id, name, severity, tags, enabled, condition, examples }]`,
 * plus the original BeTrace keys `compliance_frameworks` and `example_violation`. Conditions are
 * not analysed here; their positions are recorded so diagnostics can point into the file.
 */
export function readRuleFile(file: string, text: string): RuleFileResult {
  const lineCounter = new LineCounter();
  const ctx: YamlContext = { file, lineCounter, problems: [] };
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  ctx.doc = doc;
  for (const e of [...doc.errors, ...doc.warnings]) {
    report(ctx, e.name === 'YAMLWarning' ? 'warning' : 'error', e.pos[0], yamlMessage(e.message));
  }
  if (doc.errors.length > 0) return { rules: [], problems: ctx.problems };
  const root = doc.contents as Node | null;
  if (root === null || (isScalar(root) && root.value === null)) {
    report(ctx, 'warning', 0, 'the file holds no rules');
    return { rules: [], problems: ctx.problems };
  }
  const fields = readFields(ctx, root, 'a rule file with a top-level "rules:" list', FILE_KEYS);
  const rulesField = fields?.get('rules');
  const emptyRules = isScalar(rulesField?.value) && rulesField.value.value === null;
  if (emptyRules) report(ctx, 'warning', rulesField.key, 'the file holds no rules');
  const items = fields && !emptyRules ? readList(ctx, rulesField, 'the rules') : [];
  if (fields && !fields.has('rules')) report(ctx, 'error', root, 'expected a top-level "rules:" list');
  const rules: RuleSpec[] = [];
  const seen = new Map<string, number>();
  for (const item of items ?? []) {
    const rule = readRule(ctx, item, text);
    if (!rule) continue;
    const first = seen.get(rule.id);
    if (first !== undefined) {
      report(ctx, 'error', item, `duplicate rule id "${rule.id}" (first defined on line ${first}); rule ids must be unique`);
      continue;
    }
    seen.set(rule.id, rule.position.line);
    rules.push(rule);
  }
  return { rules, problems: ctx.problems };
}

function readRule(ctx: YamlContext, node: Node | null, text: string): RuleSpec | undefined {
  const fields = readFields(ctx, node, 'a rule', RULE_KEYS);
  if (!fields) return undefined;
  const before = ctx.problems.length;
  const id = readString(ctx, fields.get('id'), 'the rule id');
  if (!fields.has('id')) report(ctx, 'error', node, 'the rule has no "id": add "id: <lower-case-id>"');
  else if (id !== undefined && !RULE_ID.test(id)) {
    report(ctx, 'error', fields.get('id')?.value, `rule id "${id}" must match [a-z0-9][a-z0-9._-]* (lower case, digits, ".", "_", "-")`);
  }
  const conditionField = fields.get('condition');
  const condition = readString(ctx, conditionField, 'the rule condition');
  if (!conditionField) report(ctx, 'error', node, 'the rule has no "condition"');
  const severity = readSeverity(ctx, fields.get('severity'));
  const tags = [
    ...readStrings(ctx, fields.get('tags'), 'tags'),
    ...readStrings(ctx, fields.get('compliance_frameworks'), 'compliance frameworks'),
  ];
  const name = readString(ctx, fields.get('name'), 'the rule name');
  const description = readString(ctx, fields.get('description'), 'the description') ?? '';
  const enabled = readBool(ctx, fields.get('enabled'), '"enabled"') ?? true;
  const ruleUnusable = ctx.problems.slice(before).some((p) => p.severity === 'error');
  // Examples with problems are dropped (and reported); they do not make the rule itself unusable.
  const examples = readExamples(ctx, fields);
  if (ruleUnusable) return undefined;
  if (id === undefined || condition === undefined || !isScalar(conditionField?.value)) return undefined;
  return {
    id,
    name: name ?? id,
    description,
    severity,
    tags: [...new Set(tags)],
    enabled,
    condition,
    conditionAt: conditionPosition(ctx, conditionField.value, text),
    examples,
    position: positionOf(ctx, fields.get('id')?.value ?? node),
  };
}

function readSeverity(ctx: YamlContext, field: Field | undefined): RuleSeverity {
  if (field === undefined) return 'medium';
  const text = readString(ctx, field, 'the severity')?.toLowerCase();
  const found = SEVERITIES.find((s) => s === text);
  if (found) return found;
  if (text !== undefined) report(ctx, 'error', field.value, `unknown severity "${text}": expected one of ${SEVERITIES.join(', ')}`);
  return 'medium';
}

function readStrings(ctx: YamlContext, field: Field | undefined, what: string): string[] {
  const items = readList(ctx, field, what) ?? [];
  return items.flatMap((item) => {
    const value = readString(ctx, { key: item as Node, value: item }, `each of the ${what}`);
    return value === undefined ? [] : [value];
  });
}

function readExamples(ctx: YamlContext, fields: Map<string, Field>): ExampleSpec[] {
  const out: ExampleSpec[] = [];
  const items = readList(ctx, fields.get('examples'), 'the examples') ?? [];
  items.forEach((item, i) => {
    const example = readExample(ctx, item, i);
    if (example) out.push(example);
  });
  const legacy = fields.get('example_violation');
  if (legacy) {
    const example = readExample(ctx, legacy.value, out.length, 'violation');
    if (example) out.push(example);
  }
  return out;
}

function yamlMessage(message: string): string {
  // prettyErrors is off, so messages carry no position suffix; keep only the first line.
  return `invalid YAML: ${message.split('\n')[0] ?? message}`;
}
