import { FieldFilter } from '@betrace/otlp';
import type { RuleReads } from '@betrace/dsl';
import type { RuleRegistry } from '../rules/rule-registry.ts';

/** Which span attributes the protobuf receivers keep (`assembly.attributes`). */
export type AttributeMode = 'read' | 'all';

/** The span attribute keys the rules read: bare keys (span first, then resource) and label fields. */
export function fieldFilterFor(rules: ReadonlyArray<{ reads: RuleReads }>): FieldFilter {
  return new FieldFilter(rules.flatMap((r) => r.reads.attributes));
}

/**
 * The decoder filter for the enabled rules, rebuilt on every rule change; `undefined` in `all`
 * mode. Spans decoded before a change keep the attributes the rules of that time read.
 */
export class AttributeFilter {
  private filter: FieldFilter | undefined;
  private readonly unsubscribe: () => void;

  constructor(rules: RuleRegistry, mode: AttributeMode) {
    const rebuild = (): void => {
      this.filter = mode === 'read' ? fieldFilterFor(rules.active) : undefined;
    };
    rebuild();
    this.unsubscribe = mode === 'read' ? rules.onChange(rebuild) : () => undefined;
  }

  get current(): FieldFilter | undefined {
    return this.filter;
  }

  close(): void {
    this.unsubscribe();
  }
}
