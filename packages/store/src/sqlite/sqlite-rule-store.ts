import type { DatabaseSync } from 'node:sqlite';
import type { AuditAction, FieldChange } from '../audit-log.ts';
import { fail, ok } from '../result.ts';
import type { Result } from '../result.ts';
import { checkChanges, checkNewRule, createdChanges, deletedChanges, firstVersion, nextVersion, notFound, versionConflict } from '../rule-changes.ts';
import type { NewRule, RuleChanges, RuleStore, StoredRule, WriteOptions } from '../rule-store.ts';
import { appendAudit } from './sqlite-audit-log.ts';
import { transaction } from './sqlite-database.ts';

/** Rules and their history in SQLite; each change and its audit entry share one transaction. */
export class SqliteRuleStore implements RuleStore {
  #db: DatabaseSync;
  #now: () => number;

  constructor(db: DatabaseSync, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  async list(): Promise<StoredRule[]> {
    return this.#db.prepare('SELECT body FROM rules ORDER BY id').all().map(toRule);
  }

  async get(id: string): Promise<StoredRule | undefined> {
    return this.#current(id);
  }

  async history(id: string): Promise<StoredRule[]> {
    return this.#db.prepare('SELECT body FROM rule_versions WHERE rule_id = ? ORDER BY version DESC').all(id).map(toRule);
  }

  async create(rule: NewRule, actor: string): Promise<Result<StoredRule>> {
    const invalid = checkNewRule(rule);
    if (invalid) return invalid;
    return transaction(this.#db, () => {
      if (this.#current(rule.id)) return fail('duplicate', `rule "${rule.id}" already exists`);
      // A reused id continues the numbering so history never has two "version 1"s.
      const last = this.#db.prepare('SELECT max(version) AS v FROM rule_versions WHERE rule_id = ?').get(rule.id);
      const stored = firstVersion(rule, Number(last?.v ?? 0) + 1, actor, this.#now());
      return ok(this.#write(stored, 'rule.create', actor, createdChanges(stored)));
    });
  }

  async update(id: string, changes: RuleChanges, actor: string, options?: WriteOptions): Promise<Result<StoredRule>> {
    const invalid = checkChanges(changes);
    if (invalid) return invalid;
    return this.#change(id, options, (current) => {
      const next = nextVersion(current, changes, actor, this.#now());
      return next ? this.#write(next.rule, 'rule.update', actor, next.changes) : current;
    });
  }

  async setEnabled(id: string, enabled: boolean, actor: string, options?: WriteOptions): Promise<Result<StoredRule>> {
    return this.#change(id, options, (current) => {
      const next = nextVersion(current, { enabled }, actor, this.#now());
      return next ? this.#write(next.rule, enabled ? 'rule.enable' : 'rule.disable', actor, next.changes) : current;
    });
  }

  async delete(id: string, actor: string, options?: WriteOptions): Promise<Result<StoredRule>> {
    return this.#change(id, options, (current) => {
      this.#db.prepare('DELETE FROM rules WHERE id = ?').run(id);
      appendAudit(this.#db, { at: this.#now(), actor, action: 'rule.delete', target: id, changes: deletedChanges(current) });
      return current;
    });
  }

  /** Reads, checks existence and version, and applies `fn`, all under the write lock. */
  #change(id: string, options: WriteOptions | undefined, fn: (current: StoredRule) => StoredRule): Result<StoredRule> {
    return transaction(this.#db, () => {
      const current = this.#current(id);
      if (!current) return notFound('rule', id);
      return versionConflict(current, options) ?? ok(fn(current));
    });
  }

  #current(id: string): StoredRule | undefined {
    const row = this.#db.prepare('SELECT body FROM rules WHERE id = ?').get(id);
    return row && toRule(row);
  }

  #write(rule: StoredRule, action: AuditAction, actor: string, changes: Record<string, FieldChange>): StoredRule {
    const body = JSON.stringify(rule);
    this.#db
      .prepare('INSERT INTO rules (id, version, body) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version, body = excluded.body')
      .run(rule.id, rule.version, body);
    this.#db.prepare('INSERT INTO rule_versions (rule_id, version, body) VALUES (?, ?, ?)').run(rule.id, rule.version, body);
    appendAudit(this.#db, { at: rule.updatedAt, actor, action, target: rule.id, changes });
    return toRule({ body });
  }
}

function toRule(row: Record<string, unknown>): StoredRule {
  return JSON.parse(String(row.body)) as StoredRule;
}
