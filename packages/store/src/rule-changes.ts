import type { FieldChange } from './audit-log.ts';
import { jsonCopy } from './json-value.ts';
import { fail } from './result.ts';
import type { Result } from './result.ts';
import type { NewRule, RuleChanges, StoredRule, WriteOptions } from './rule-store.ts';
import { SEVERITIES } from './violation-stats.ts';

// The fields a person edits; the audit log records each one that changed.
const CONTENT_FIELDS = ['name', 'description', 'severity', 'tags', 'enabled', 'condition', 'source'] as const;

/** Rejects what no adapter should store; the server validates the condition text itself. */
export function checkNewRule(rule: NewRule): Result<never> | undefined {
  if (typeof rule.id !== 'string' || rule.id.trim() === '') return fail('invalid', 'rule id must be a non-empty string');
  return checkChanges(rule);
}

export function checkChanges(changes: RuleChanges): Result<never> | undefined {
  if (changes.severity !== undefined && !SEVERITIES.includes(changes.severity)) {
    return fail('invalid', `severity must be one of ${SEVERITIES.join(', ')} (got "${changes.severity}")`);
  }
  if (changes.source !== undefined && changes.source !== 'api' && changes.source !== 'file') {
    return fail('invalid', `source must be "api" or "file" (got "${String(changes.source)}")`);
  }
  return undefined;
}

/** The first version of a rule (or the next one, when an id is reused after deletion). */
export function firstVersion(rule: NewRule, version: number, actor: string, now: number): StoredRule {
  return {
    id: rule.id,
    name: rule.name,
    description: rule.description ?? '',
    severity: rule.severity,
    tags: [...(rule.tags ?? [])],
    enabled: rule.enabled ?? true,
    condition: rule.condition,
    version,
    createdAt: now,
    updatedAt: now,
    updatedBy: actor,
    source: rule.source ?? 'api',
  };
}

/** The next version and what changed, or undefined when the changes change nothing. */
export function nextVersion(
  current: StoredRule,
  changes: RuleChanges,
  actor: string,
  now: number,
): { rule: StoredRule; changes: Record<string, FieldChange> } | undefined {
  const diff: Record<string, FieldChange> = {};
  const next: StoredRule = jsonCopy(current);
  for (const field of CONTENT_FIELDS) {
    const to = changes[field];
    if (to === undefined || same(current[field], to)) continue;
    diff[field] = { from: current[field], to };
    (next as unknown as Record<string, unknown>)[field] = jsonCopy(to);
  }
  if (Object.keys(diff).length === 0) return undefined;
  next.version = current.version + 1;
  next.updatedAt = now;
  next.updatedBy = actor;
  diff.version = { from: current.version, to: next.version };
  return { rule: next, changes: diff };
}

/** Audit changes of a create: every field from absent (null). */
export function createdChanges(rule: StoredRule): Record<string, FieldChange> {
  const diff: Record<string, FieldChange> = {};
  for (const field of CONTENT_FIELDS) diff[field] = { from: null, to: rule[field] };
  diff.version = { from: null, to: rule.version };
  return diff;
}

/** Audit changes of a delete: every field to absent (null), so the log alone can restore it. */
export function deletedChanges(rule: StoredRule): Record<string, FieldChange> {
  const diff: Record<string, FieldChange> = {};
  for (const field of CONTENT_FIELDS) diff[field] = { from: rule[field], to: null };
  diff.version = { from: rule.version, to: null };
  return diff;
}

/** `conflict` when the caller edited an older version than the stored one. */
export function versionConflict(current: StoredRule, options: WriteOptions | undefined): Result<never> | undefined {
  const expected = options?.expectedVersion;
  if (expected === undefined || expected === current.version) return undefined;
  return fail(
    'conflict',
    `rule "${current.id}" is at version ${current.version}, not ${expected}; reload it and apply the change again`,
  );
}

export function notFound(kind: 'rule' | 'API key', id: string): Result<never> {
  return fail('not_found', `${kind} "${id}" does not exist`);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
