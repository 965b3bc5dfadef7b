import type { NewRule, RuleChanges, RuleStore, StoredRule } from '@betrace/store';
import { type ApiFailure, failure } from '../api/errors.ts';
import type { RuleRegistry } from './rule-registry.ts';
import { storeFailure } from './store-failure.ts';
import { checkCondition } from './validate-condition.ts';

/** A rule service outcome: the value, or the failure the API answers with. */
export type ServiceResult<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

// Ids that would collide with the static routes under /api/v1/rules/.
const RESERVED_IDS = new Set(['export', 'import', 'validate', 'test']);

/** The actor prefix of changes made by the rule-file watcher. */
export const FILE_ACTOR_PREFIX = 'file:';

/**
 * Rule changes through the API: the condition is checked before anything is stored, the store
 * writes the version and its audit entry in one transaction, then the registry recompiles.
 * Rules that come from rule files (`source: 'file'`) are read-only here: the file is their truth,
 * and an API edit would be overwritten by the next sync.
 */
export class RuleService {
  private readonly store: RuleStore;
  private readonly registry: RuleRegistry;

  constructor(deps: { store: RuleStore; registry: RuleRegistry }) {
    this.store = deps.store;
    this.registry = deps.registry;
  }

  async create(rule: NewRule, actor: string): Promise<ServiceResult<StoredRule>> {
    if (RESERVED_IDS.has(rule.id)) {
      return { ok: false, failure: failure('invalid_request', `"${rule.id}" cannot be a rule id: /api/v1/rules/${rule.id} is an endpoint; choose another id`) };
    }
    const bad = conditionFailure(rule.condition);
    if (bad) return { ok: false, failure: bad };
    return this.done(await this.store.create({ ...rule, source: 'api' }, actor));
  }

  /** A new version with `changes`; a change that changes nothing returns the rule unchanged. */
  async update(id: string, changes: RuleChanges, actor: string, expectedVersion?: number): Promise<ServiceResult<StoredRule>> {
    const guard = await this.editable(id);
    if (guard) return { ok: false, failure: guard };
    if (changes.condition !== undefined) {
      const bad = conditionFailure(changes.condition);
      if (bad) return { ok: false, failure: bad };
    }
    return this.done(await this.store.update(id, changes, actor, versionOption(expectedVersion)));
  }

  async delete(id: string, actor: string, expectedVersion?: number): Promise<ServiceResult<StoredRule>> {
    const guard = await this.editable(id);
    if (guard) return { ok: false, failure: guard };
    return this.done(await this.store.delete(id, actor, versionOption(expectedVersion)));
  }

  async setEnabled(id: string, enabled: boolean, actor: string, expectedVersion?: number): Promise<ServiceResult<StoredRule>> {
    const guard = await this.editable(id);
    if (guard) return { ok: false, failure: guard };
    return this.done(await this.store.setEnabled(id, enabled, actor, versionOption(expectedVersion)));
  }

  private async editable(id: string): Promise<ApiFailure | undefined> {
    const current = await this.store.get(id);
    if (current === undefined) return failure('not_found', `rule "${id}" does not exist`);
    if (current.source !== 'file') return undefined;
    const file = current.updatedBy.startsWith(FILE_ACTOR_PREFIX) ? ` ${current.updatedBy.slice(FILE_ACTOR_PREFIX.length)}` : '';
    return failure('conflict', `rule "${id}" comes from the rule file${file}; change it there (the server reloads rule files on change)`);
  }

  private async done(result: Awaited<ReturnType<RuleStore['create']>>): Promise<ServiceResult<StoredRule>> {
    if (!result.ok) return { ok: false, failure: storeFailure(result.error) };
    await this.registry.reload();
    return result;
  }
}

/** `invalid_request` with every diagnostic when the condition has errors. */
export function conditionFailure(condition: string): ApiFailure | undefined {
  const check = checkCondition(condition);
  if (check.ok) return undefined;
  const errors = check.diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  const where = first ? ` (line ${first.start.line}, column ${first.start.column}: ${first.message})` : '';
  return failure('invalid_request', `the condition has ${errors.length} error(s)${where}; see details.diagnostics`, { diagnostics: check.diagnostics });
}

function versionOption(expectedVersion: number | undefined): { expectedVersion?: number } {
  return expectedVersion === undefined ? {} : { expectedVersion };
}
