import type {
  Aggregate, Condition, Field, Literal, Pattern, Predicate, Relation, Rule, Selector, Value, ValueTest,
} from './ast.ts';
import { isBareDottedName, isIdentifier, KEYWORDS } from './token.ts';
import { assertNever } from './walk.ts';

/** Canonical text of a rule: `when`, `always`, `never`, one block per line. Parses back to the same tree. */
export function printRule(rule: Rule): string {
  const label = findLabel(rule);
  const lines: string[] = [];
  for (const block of [rule.when, rule.always, rule.never]) {
    if (block) lines.push(`${block.keyword} { ${printCondition(block.condition, label)} }`);
  }
  return lines.join('\n');
}

/** Canonical text of a condition (used in violation reasons). `label` is the rule's label, if any. */
export function printCondition(c: Condition, label?: string): string {
  return cond(c, 0, label);
}

/** Canonical text of a predicate (the inside of `.where(…)`). */
export function printPredicate(p: Predicate, label?: string): string {
  return pred(p, 0, label);
}

const COND_PREC = { or: 1, and: 2, not: 3 } as const;

function cond(c: Condition, outer: number, label: string | undefined): string {
  switch (c.kind) {
    case 'or':
    case 'and': {
      const prec = COND_PREC[c.kind];
      const text = `${cond(c.left, prec, label)} ${c.kind} ${cond(c.right, prec + 0.5, label)}`;
      return prec < outer ? `(${text})` : text;
    }
    case 'not':
      return `not ${cond(c.operand, COND_PREC.not, label)}`;
    case 'exists':
      return pattern(c.pattern, label);
    case 'aggregate':
      return `${aggregate(c.left, label)} ${c.op} ${c.right.kind === 'aggregate_fn' ? aggregate(c.right, label) : c.right.text}`;
    case 'trace':
      return `trace.${c.field} ${test(c.test, undefined, label)}`;
    case 'relation': {
      const within = c.within ? ` within ${c.within.text}` : '';
      return `${pattern(c.left, label)} ${RELATION_TEXT[c.relation]} ${pattern(c.right, label)}${within}`;
    }
    default:
      return assertNever(c);
  }
}

const RELATION_TEXT: Readonly<Record<Relation, string>> = {
  before: 'before', after: 'after', parent_of: 'parent of', child_of: 'child of', ancestor_of: 'ancestor of', descendant_of: 'descendant of',
};

function aggregate(a: Aggregate, label: string | undefined): string {
  return a.field ? `${a.fn}(${pattern(a.pattern, label)}, ${field(a.field, label)})` : `${a.fn}(${pattern(a.pattern, label)})`;
}

function pattern(p: Pattern, label: string | undefined): string {
  const head = (p.label ? `${p.label.name}: ` : '') + selector(p.selector, label);
  return head + p.wheres.map((w) => `.where(${pred(w, 0, label)})`).join('');
}

function selector(s: Selector, label: string | undefined): string {
  switch (s.kind) {
    case 'any':
      return '*';
    case 'label_ref':
      return s.label;
    case 'name': {
      const first = s.name.split('.')[0];
      const bare = isBareDottedName(s.name) && first !== 'trace' && s.name !== label;
      return bare ? s.name : quote(s.name);
    }
    default:
      return assertNever(s);
  }
}

const PRED_PREC = { por: 1, pand: 2, pnot: 3 } as const;

function pred(p: Predicate, outer: number, label: string | undefined): string {
  switch (p.kind) {
    case 'por':
    case 'pand': {
      const prec = PRED_PREC[p.kind];
      const word = p.kind === 'por' ? 'or' : 'and';
      const text = `${pred(p.left, prec, label)} ${word} ${pred(p.right, prec + 0.5, label)}`;
      return prec < outer ? `(${text})` : text;
    }
    case 'pnot':
      return `not ${pred(p.operand, PRED_PREC.pnot, label)}`;
    case 'test':
      return `${field(p.field, label)} ${test(p.test, p.field, label)}`;
    case 'truthy':
      return field(p.field, label);
    default:
      return assertNever(p);
  }
}

function test(t: ValueTest, f: Field | undefined, label: string | undefined): string {
  const enumField = f !== undefined && isEnumField(f);
  if (t.kind === 'in') return `in [${t.values.map((v) => literal(v, enumField)).join(', ')}]`;
  if (t.value.kind === 'label_field') return `${t.op} ${field(t.value, label)}`;
  if (t.op === 'matches' && t.value.kind === 'string' && t.value.value.includes('\\') && !t.value.value.includes('`')) {
    return `matches \`${t.value.value}\``;
  }
  return `${t.op} ${value(t.value, enumField, label)}`;
}

function isEnumField(f: Field): boolean {
  const inner = f.kind === 'label_field' ? f.field : f;
  return inner.kind === 'intrinsic' && (inner.name === 'kind' || inner.name === 'status');
}

function value(v: Value, enumField: boolean, label: string | undefined): string {
  return v.kind === 'label_field' ? field(v, label) : literal(v, enumField);
}

function literal(v: Literal, bareString: boolean): string {
  switch (v.kind) {
    case 'string':
      return bareString && isIdentifier(v.value) && !KEYWORDS.has(v.value) ? v.value : quote(v.value);
    case 'number':
    case 'duration':
      return v.text;
    case 'bool':
      return String(v.value);
    case 'null':
      return 'null';
    default:
      return assertNever(v);
  }
}

function field(f: Field, label: string | undefined): string {
  switch (f.kind) {
    case 'intrinsic':
      return `span.${f.name}`;
    case 'attr': {
      if (f.scope === 'resource') return `resource.${keyAfterDot(f.key)}`;
      const first = f.key.split('.')[0];
      const bare = isBareDottedName(f.key) && first !== 'span' && first !== 'resource' && first !== label;
      return bare ? f.key : quote(f.key);
    }
    case 'label_field': {
      const inner = f.field;
      if (inner.kind === 'intrinsic') return `${f.label}.span.${inner.name}`;
      if (inner.scope === 'resource') return `${f.label}.resource.${keyAfterDot(inner.key)}`;
      const first = inner.key.split('.')[0];
      const bare = isBareDottedName(inner.key) && first !== 'span' && first !== 'resource';
      return `${f.label}.${bare ? inner.key : quote(inner.key)}`;
    }
    default:
      return assertNever(f);
  }
}

/** After a dot any word is a plain segment, so only the characters decide whether to quote. */
function keyAfterDot(key: string): string {
  return key.split('.').every(isIdentifier) ? key : quote(key);
}

/** A double-quoted string literal with the language's escapes. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\u{${cp.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}

function findLabel(rule: Rule): string | undefined {
  let found: string | undefined;
  const visit = (c: Condition): void => {
    if (found) return;
    switch (c.kind) {
      case 'or':
      case 'and':
        visit(c.left);
        visit(c.right);
        return;
      case 'not':
        visit(c.operand);
        return;
      case 'exists':
        found = c.pattern.label?.name;
        return;
      case 'relation':
        found = c.left.label?.name ?? c.right.label?.name;
        return;
      case 'aggregate':
        found = c.left.pattern.label?.name ?? (c.right.kind === 'aggregate_fn' ? c.right.pattern.label?.name : undefined);
        return;
      case 'trace':
        return;
      default:
        assertNever(c);
    }
  };
  for (const b of [rule.when, rule.always, rule.never]) if (b) visit(b.condition);
  return found;
}
