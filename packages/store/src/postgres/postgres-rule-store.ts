import type { Pool, PoolClient } from 'pg';
import type { AuditAction, FieldChange } from '../audit-log.ts';
import { fail, ok } from '../result.ts';
import type { Result } from '../result.ts';
import { checkChanges, checkNewRule, createdChanges, deletedChanges, firstVersion, nextVersion, notFound, versionConflict } from '../rule-changes.ts';
import type { NewRule, RuleChanges, RuleStore, StoredRule, WriteOptions } from '../rule-store.ts';
import { appendAudit } from './postgres-audit-log.ts';
import { inTransaction } from './postgres-client.ts';

/** The NOTIFY channel other instances LISTEN on to reload their rules. */
export const RULES_CHANNEL = 'betrace_rules';

/**
 * Rules and their history in PostgreSQL. Each change, its audit entry and a NOTIFY to the other
 * instances share one transaction: the notification goes out exactly when the change commits.
 */
export class PostgresRuleStore implements RuleStore {
  #pool: Pool;
  #now: () => number;

  constructor(pool: Pool, now: () => number) {
    this.#pool = pool;
    this.#now = now;
  }

  async list(): Promise<StoredRule[]> {
    return (await this.#pool.query('SELECT body FROM rules ORDER BY id')).rows.map(toRule);
  }

  async get(id: string): Promise<StoredRule | undefined> {
    const { rows } = await this.#pool.query('SELECT body FROM rules WHERE id = $1', [id]);
    return rows[0] && toRule(rows[0]);
  }

  async history(id: string): Promise<StoredRule[]> {
    return (await this.#pool.query('SELECT body FROM rule_versions WHERE rule_id = $1 ORDER BY version DESC', [id])).rows.map(toRule);
  }

  async create(rule: NewRule, actor: string): Promise<Result<StoredRule>> {
    const invalid = checkNewRule(rule);
    if (invalid) return invalid;
    return inTransaction(this.#pool, async (c) => {
      await lockRule(c, rule.id);
      if (await current(c, rule.id)) return fail('duplicate', `rule "${rule.id}" already exists`);
      // A reused id continues the numbering so history never has two "version 1"s.
      const last = await c.query<{ v: number | null }>('SELECT max(version) AS v FROM rule_versions WHERE rule_id = $1', [rule.id]);
      const stored = firstVersion(rule, (last.rows[0]?.v ?? 0) + 1, actor, this.#now());
      return ok(await write(c, stored, 'rule.create', actor, createdChanges(stored)));
    });
  }

  async update(id: string, changes: RuleChanges, actor: string, options?: WriteOptions): Promise<Result<StoredRule>> {
    const invalid = checkChanges(changes);
    if (invalid) return invalid;
    return this.#change(id, options, async (c, cur) => {
      const next = nextVersion(cur, changes, actor, this.#now());
      return next ? write(c, next.rule, 'rule.update', actor, next.changes) : cur;
    });
  }

  async setEnabled(id: string, enabled: boolean, actor: string, options?: WriteOptions): Promise<Result<StoredRule>> {
    return this.#change(id, options, async (c, cur) => {
      const next = nextVersion(cur, { enabled }, actor, this.#now());
      return next ? write(c, next.rule, enabled ? 'rule.enable' : 'rule.disable', actor, next.changes) : cur;
    });
  }

  async delete(id: string, actor: string, options?: WriteOptions): Promise<Result<StoredRule>> {
    return this.#change(id, options, async (c, cur) => {
      await c.query('DELETE FROM rules WHERE id = $1', [id]);
      await appendAudit(c, { at: this.#now(), actor, action: 'rule.delete', target: id, changes: deletedChanges(cur) });
      await notify(c, id);
      return cur;
    });
  }

  /** Reads, checks existence and version, and applies `fn`, holding the rule's lock. */
  #change(id: string, options: WriteOptions | undefined, fn: (c: PoolClient, current: StoredRule) => Promise<StoredRule>): Promise<Result<StoredRule>> {
    return inTransaction(this.#pool, async (c) => {
      await lockRule(c, id);
      const cur = await current(c, id);
      if (!cur) return notFound('rule', id);
      return versionConflict(cur, options) ?? ok(await fn(c, cur));
    });
  }
}

// One lock per rule id, also for ids with no row yet (create): two instances changing the same
// rule serialize, so both cannot read version n and write n+1.
async function lockRule(c: PoolClient, id: string): Promise<void> {
  await c.query("SELECT pg_advisory_xact_lock(hashtextextended('betrace.rule:' || $1, 0))", [id]);
}

async function current(c: PoolClient, id: string): Promise<StoredRule | undefined> {
  const { rows } = await c.query('SELECT body FROM rules WHERE id = $1', [id]);
  return rows[0] && toRule(rows[0]);
}

async function write(c: PoolClient, rule: StoredRule, action: AuditAction, actor: string, changes: Record<string, FieldChange>): Promise<StoredRule> {
  const body = JSON.stringify(rule);
  await c.query(
    'INSERT INTO rules (id, version, body) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET version = excluded.version, body = excluded.body',
    [rule.id, rule.version, body],
  );
  await c.query('INSERT INTO rule_versions (rule_id, version, body) VALUES ($1, $2, $3)', [rule.id, rule.version, body]);
  await appendAudit(c, { at: rule.updatedAt, actor, action, target: rule.id, changes });
  await notify(c, rule.id);
  return toRule({ body });
}

// Delivered on commit only, so a rolled-back change never makes another instance reload.
async function notify(c: PoolClient, id: string): Promise<void> {
  await c.query('SELECT pg_notify($1, $2)', [RULES_CHANNEL, id]);
}

function toRule(row: Record<string, unknown>): StoredRule {
  return JSON.parse(String(row.body)) as StoredRule;
}
