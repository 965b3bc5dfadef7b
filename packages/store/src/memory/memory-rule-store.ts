import type { AuditAction, FieldChange } from '../audit-log.ts';
import { jsonCopy } from '../json-value.ts';
import { fail, ok } from '../result.ts';
import type { Result } from '../result.ts';
import { checkChanges, checkNewRule, createdChanges, deletedChanges, firstVersion, nextVersion, notFound, versionConflict } from '../rule-changes.ts';
import type { NewRule, RuleChanges, RuleStore, StoredRule, WriteOptions } from '../rule-store.ts';
import type { MemoryAuditLog } from './memory-audit-log.ts';

/** Rules and their history in process memory. Each method runs without awaiting, so it is atomic. */
export class MemoryRuleStore implements RuleStore {
  #current = new Map<string, StoredRule>();
  #history = new Map<string, StoredRule[]>();
  #audit: MemoryAuditLog;
  #now: () => number;

  constructor(audit: MemoryAuditLog, now: () => number) {
    this.#audit = audit;
    this.#now = now;
  }

  async list(): Promise<StoredRule[]> {
    return [...this.#current.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(jsonCopy);
  }

  async get(id: string): Promise<StoredRule | undefined> {
    const rule = this.#current.get(id);
    return rule && jsonCopy(rule);
  }

  async history(id: string): Promise<StoredRule[]> {
    return [...(this.#history.get(id) ?? [])].reverse().map(jsonCopy);
  }

  async create(rule: NewRule, actor: string): Promise<Result<StoredRule>> {
    const invalid = checkNewRule(rule);
    if (invalid) return invalid;
    if (this.#current.has(rule.id)) return fail('duplicate', `rule "${rule.id}" already exists`);
    // A reused id continues the numbering so history never has two "version 1"s.
    const version = (this.#history.get(rule.id)?.at(-1)?.version ?? 0) + 1;
    const stored = firstVersion(rule, version, actor, this.#now());
    return ok(this.#write(stored, 'rule.create', actor, createdChanges(stored)));
  }

  async update(id: string, changes: RuleChanges, actor: string, options?: WriteOptions): Promise<Result<StoredRule>> {
    const invalid = checkChanges(changes);
    if (invalid) return invalid;
    const current = this.#current.get(id);
    if (!current) return notFound('rule', id);
    const conflict = versionConflict(current, options);
    if (conflict) return conflict;
    const next = nextVersion(current, changes, actor, this.#now());
    if (!next) return ok(jsonCopy(current));
    return ok(this.#write(next.rule, 'rule.update', actor, next.changes));
  }

  async setEnabled(id: string, enabled: boolean, actor: string, options?: WriteOptions): Promise<Result<StoredRule>> {
    const current = this.#current.get(id);
    if (!current) return notFound('rule', id);
    const conflict = versionConflict(current, options);
    if (conflict) return conflict;
    const next = nextVersion(current, { enabled }, actor, this.#now());
    if (!next) return ok(jsonCopy(current));
    return ok(this.#write(next.rule, enabled ? 'rule.enable' : 'rule.disable', actor, next.changes));
  }

  async delete(id: string, actor: string, options?: WriteOptions): Promise<Result<StoredRule>> {
    const current = this.#current.get(id);
    if (!current) return notFound('rule', id);
    const conflict = versionConflict(current, options);
    if (conflict) return conflict;
    this.#current.delete(id);
    this.#audit.appendSync({ at: this.#now(), actor, action: 'rule.delete', target: id, changes: deletedChanges(current) });
    return ok(jsonCopy(current));
  }

  #write(rule: StoredRule, action: AuditAction, actor: string, changes: Record<string, FieldChange>): StoredRule {
    this.#current.set(rule.id, jsonCopy(rule));
    const versions = this.#history.get(rule.id) ?? [];
    versions.push(jsonCopy(rule));
    this.#history.set(rule.id, versions);
    this.#audit.appendSync({ at: rule.updatedAt, actor, action, target: rule.id, changes });
    return jsonCopy(rule);
  }
}
