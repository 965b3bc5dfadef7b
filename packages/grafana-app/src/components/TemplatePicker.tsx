import React from 'react';
import { Select } from '@grafana/ui';
import { RULE_TEMPLATES, type RuleTemplate } from '../templates/rule-templates';
import { testIds } from './testIds';

/** Starts a rule from one of the example packs (examples/rules). */
export function TemplatePicker({ onPick }: { onPick(t: RuleTemplate): void }) {
  const packs = [...new Set(RULE_TEMPLATES.map((t) => t.pack))];
  const options = packs.map((pack) => ({
    label: RULE_TEMPLATES.find((t) => t.pack === pack)?.packTitle ?? pack,
    options: RULE_TEMPLATES.filter((t) => t.pack === pack).map((t) => ({ label: t.name, value: `${t.pack}/${t.id}`, description: `${t.severity} · ${t.id}` })),
  }));
  return (
    <div data-testid={testIds.editor.template}>
      <Select
        aria-label="Start from a template"
        placeholder="Start from a template…"
        width={48}
        options={options}
        value={null}
        onChange={(v) => {
          const t = RULE_TEMPLATES.find((x) => `${x.pack}/${x.id}` === (v?.value as string | undefined));
          if (t) {
            onPick(t);
          }
        }}
      />
    </div>
  );
}
