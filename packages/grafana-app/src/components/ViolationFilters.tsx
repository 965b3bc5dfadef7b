import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Field, Input, MultiSelect, Select, useStyles2 } from '@grafana/ui';
import { SEVERITIES, type Rule, type Severity, type ViolationFilter } from '../api/types';
import { testIds } from './testIds';

/** Rule, severity, service, trace id and free-text filters of the violations table. */
export function ViolationFilters({ filter, rules, onChange }: { filter: ViolationFilter; rules: Rule[]; onChange(f: ViolationFilter): void }) {
  const s = useStyles2(getStyles);
  const set = (patch: Partial<ViolationFilter>) => onChange({ ...filter, ...patch });
  const ruleOptions = rules.map((r) => ({ value: r.id, label: r.name, description: r.id }));
  if (filter.ruleId && !rules.some((r) => r.id === filter.ruleId)) {
    ruleOptions.unshift({ value: filter.ruleId, label: filter.ruleId, description: 'deleted rule' });
  }
  return (
    <div className={s.row}>
      <Field label="Rule" className={s.field}>
        <div data-testid={testIds.violations.filterRule}>
          <Select
            aria-label="Rule"
            isClearable
            placeholder="Any rule"
            width={32}
            options={ruleOptions}
            value={filter.ruleId ?? null}
            onChange={(v) => set({ ruleId: v?.value ?? undefined })}
          />
        </div>
      </Field>
      <Field label="Severity" className={s.field}>
        <div data-testid={testIds.violations.filterSeverity}>
          <MultiSelect<Severity>
            aria-label="Severity"
            placeholder="Any severity"
            width={32}
            options={SEVERITIES.map((x) => ({ value: x, label: x }))}
            value={filter.severity ?? []}
            onChange={(v) => set({ severity: v.map((x) => x.value).filter((x): x is Severity => x !== undefined) })}
          />
        </div>
      </Field>
      <Field label="Service" className={s.field}>
        <Input width={20} placeholder="service.name" value={filter.service ?? ''} onChange={(e) => set({ service: e.currentTarget.value || undefined })} data-testid={testIds.violations.filterService} />
      </Field>
      <Field label="Trace id" className={s.field} invalid={!!filter.traceId && !/^[0-9a-fA-F]{32}$/.test(filter.traceId)} error="32 hex characters">
        <Input width={36} placeholder="32 hex characters" value={filter.traceId ?? ''} onChange={(e) => set({ traceId: e.currentTarget.value.trim() || undefined })} data-testid={testIds.violations.filterTraceId} />
      </Field>
      <Field label="Search" className={s.field}>
        <Input width={24} prefix={<span>⌕</span>} placeholder="rule, reason, span" value={filter.q ?? ''} onChange={(e) => set({ q: e.currentTarget.value || undefined })} data-testid={testIds.violations.filterText} />
      </Field>
      <Button variant="secondary" fill="text" onClick={() => onChange({})} className={s.clear} data-testid={testIds.violations.clearFilters}>
        Clear filters
      </Button>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1), alignItems: 'flex-end' }),
  field: css({ marginBottom: theme.spacing(1) }),
  clear: css({ marginBottom: theme.spacing(1) }),
});
