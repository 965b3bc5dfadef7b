import templates from './rule-templates.json';
import type { Severity } from '../api/types';

/** A rule from one of the example packs (examples/rules), offered as a starting point in the editor. */
export interface RuleTemplate {
  pack: string;
  packTitle: string;
  id: string;
  name: string;
  description: string;
  severity: Severity;
  tags: string[];
  condition: string;
}

export const RULE_TEMPLATES = templates as RuleTemplate[];
