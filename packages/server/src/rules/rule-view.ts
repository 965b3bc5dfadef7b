import type { StoredRule } from '@betrace/store';

/** A rule as the API shows it (times as ISO 8601). */
export interface RuleView {
  id: string;
  name: string;
  description: string;
  severity: StoredRule['severity'];
  tags: string[];
  enabled: boolean;
  condition: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  source: StoredRule['source'];
}

export function ruleView(r: StoredRule): RuleView {
  return {
    id: r.id, name: r.name, description: r.description, severity: r.severity, tags: r.tags, enabled: r.enabled,
    condition: r.condition, version: r.version, createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(), updatedBy: r.updatedBy, source: r.source,
  };
}
