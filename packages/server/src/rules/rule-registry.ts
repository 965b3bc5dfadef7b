import { analyzeRule, type Diagnostic, type RuleReads, ruleReads } from '@betrace/dsl';
import { type CompiledRule, compileRule } from '@betrace/engine';
import type { RuleStore, StoredRule } from '@betrace/store';
import type { Logger } from 'pino';

/** An enabled rule ready for evaluation, with what it reads (violations keep those attributes). */
export interface ActiveRule {
  stored: StoredRule;
  compiled: CompiledRule;
  reads: RuleReads;
}

/** A stored rule that cannot run because its condition no longer checks. */
export interface BrokenRule {
  stored: StoredRule;
  diagnostics: Diagnostic[];
}

/**
 * The compiled set of enabled rules, rebuilt from the rule store whenever rules change. Readers
 * get an immutable snapshot, so a reload never disturbs an evaluation in progress.
 */
export class RuleRegistry {
  private readonly store: Pick<RuleStore, 'list'>;
  private readonly logger: Logger;
  private snapshot: { active: ActiveRule[]; byId: Map<string, ActiveRule>; compiled: CompiledRule[]; broken: BrokenRule[] } = {
    active: [], byId: new Map(), compiled: [], broken: [],
  };
  private readonly listeners = new Set<() => void>();

  constructor(store: Pick<RuleStore, 'list'>, logger: Logger) {
    this.store = store;
    this.logger = logger;
  }

  /** Re-reads every rule from the store and recompiles the enabled ones. */
  async reload(): Promise<void> {
    this.replace(await this.store.list());
  }

  /** Compiles the enabled ones of these rules (a worker thread gets them from the main thread's registry). */
  replace(rules: readonly StoredRule[]): void {
    const active: ActiveRule[] = [];
    const broken: BrokenRule[] = [];
    for (const stored of rules) {
      if (!stored.enabled) continue;
      const analyzed = analyzeRule(stored.condition);
      if (!analyzed.ok) {
        broken.push({ stored, diagnostics: analyzed.diagnostics });
        this.logger.error({ ruleId: stored.id, diagnostics: analyzed.diagnostics.map((d) => `${d.code}: ${d.message}`) }, 'rule does not check; it is not evaluated');
        continue;
      }
      const compiled = compileRule({ id: stored.id, name: stored.name, severity: stored.severity, text: stored.condition, rule: analyzed.rule });
      active.push({ stored, compiled, reads: ruleReads(analyzed.rule) });
    }
    this.snapshot = { active, byId: new Map(active.map((r) => [r.stored.id, r])), compiled: active.map((r) => r.compiled), broken };
    for (const l of this.listeners) l();
  }

  get active(): readonly ActiveRule[] {
    return this.snapshot.active;
  }

  get compiled(): readonly CompiledRule[] {
    return this.snapshot.compiled;
  }

  get broken(): readonly BrokenRule[] {
    return this.snapshot.broken;
  }

  get(id: string): ActiveRule | undefined {
    return this.snapshot.byId.get(id);
  }

  /** Called after every reload (metrics, the live UI). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
