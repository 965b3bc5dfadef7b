import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Field, Input, LinkButton, Select, Stack, Switch, TextArea, useStyles2 } from '@grafana/ui';
import { useNavigate, useParams } from 'react-router-dom';
import { useApi } from '../api/api-context';
import { SEVERITIES, type Rule, type Severity } from '../api/types';
import { DiagnosticsList } from '../components/DiagnosticsList';
import { RuleCodeEditor } from '../components/RuleCodeEditor';
import { RuleTestPanel } from '../components/RuleTestPanel';
import { ErrorState, LoadingState } from '../components/States';
import { TemplatePicker } from '../components/TemplatePicker';
import { testIds } from '../components/testIds';
import { lintRule, type EditorDiagnostic } from '../dsl/lint';
import { useAsync } from '../hooks/use-async';
import { usePagePath } from '../hooks/use-page-path';
import { PAGE_PATHS } from '../utils/links';

interface Draft {
  id: string;
  name: string;
  description: string;
  severity: Severity;
  tags: string;
  enabled: boolean;
  condition: string;
}

const EMPTY: Draft = { id: '', name: '', description: '', severity: 'medium', tags: '', enabled: true, condition: '' };
const RULE_ID = /^[a-z0-9][a-z0-9._-]{0,127}$/;

function draftOf(r: Rule): Draft {
  return { id: r.id, name: r.name, description: r.description, severity: r.severity, tags: r.tags.join(', '), enabled: r.enabled, condition: r.condition };
}

/** Create or edit a rule: metadata, the condition in a checked editor, templates, and a test panel. */
export function RuleEditorPage() {
  const { id } = useParams<{ id: string }>();
  const api = useApi();
  const existing = useAsync(() => (id ? api.getRule(id) : Promise.resolve(undefined)), [api, id]);
  if (id && existing.status === 'loading') {
    return <LoadingState text="Loading the rule…" />;
  }
  if (existing.status === 'error') {
    return <ErrorState error={existing.error} title={`Cannot load rule ${id}`} onRetry={existing.reload} />;
  }
  return <RuleForm key={id ?? 'new'} rule={existing.value} />;
}

function RuleForm({ rule }: { rule?: Rule }) {
  const s = useStyles2(getStyles);
  const api = useApi();
  const path = usePagePath();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Draft>(rule ? draftOf(rule) : EMPTY);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<Error | undefined>();
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const isNew = rule === undefined;

  // The list under the editor; the editor's own linter draws the squiggles from the same function.
  const diagnostics: EditorDiagnostic[] = useMemo(() => lintRule(draft.condition), [draft.condition]);

  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  const idInvalid = isNew && draft.id !== '' && !RULE_ID.test(draft.id);
  const canSave = !saving && draft.name.trim() !== '' && draft.condition.trim() !== '' && !hasErrors && (!isNew || RULE_ID.test(draft.id));

  const save = async () => {
    setSaving(true);
    setSaveError(undefined);
    const tags = draft.tags.split(',').map((t) => t.trim()).filter((t) => t !== '');
    const fields = { name: draft.name.trim(), description: draft.description, severity: draft.severity, tags, enabled: draft.enabled, condition: draft.condition };
    try {
      if (isNew) {
        await api.createRule({ id: draft.id, ...fields });
      } else {
        await api.updateRule(rule.id, { ...fields, version: rule.version });
      }
      navigate(path(PAGE_PATHS.rules));
    } catch (err) {
      setSaveError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div data-testid={testIds.editor.container}>
      <Stack justifyContent="space-between" alignItems="center" wrap="wrap">
        <h3 className={s.title}>{isNew ? 'New rule' : `Edit ${rule.name}`}</h3>
        <TemplatePicker
          onPick={(t) =>
            set({
              ...(isNew ? { id: t.id } : {}),
              name: t.name,
              description: t.description,
              severity: t.severity,
              tags: t.tags.join(', '),
              condition: t.condition,
            })
          }
        />
      </Stack>
      {rule?.source === 'file' && (
        <p className={s.muted}>This rule comes from a rule file; saving here makes an API version that takes precedence over the file.</p>
      )}
      <div className={s.layout}>
        <div className={s.main}>
          <Stack gap={2} wrap="wrap">
            <Field label="Id" description="Lower-case letters, digits, . _ -" invalid={idInvalid} error="expected lower-case letters, digits, '.', '_' or '-', starting with a letter or digit">
              <Input width={36} value={draft.id} disabled={!isNew} onChange={(e) => set({ id: e.currentTarget.value })} data-testid={testIds.editor.id} placeholder="large-payment-fraud-checked" />
            </Field>
            <Field label="Name">
              <Input width={48} value={draft.name} onChange={(e) => set({ name: e.currentTarget.value })} data-testid={testIds.editor.name} placeholder="Large payments are fraud-checked" />
            </Field>
          </Stack>
          <Stack gap={2} wrap="wrap">
            <Field label="Severity">
              <div data-testid={testIds.editor.severity}>
                <Select aria-label="Severity" width={20} options={SEVERITIES.map((x) => ({ value: x, label: x }))} value={draft.severity} onChange={(v) => v.value && set({ severity: v.value })} />
              </div>
            </Field>
            <Field label="Tags" description="Comma-separated">
              <Input width={36} value={draft.tags} onChange={(e) => set({ tags: e.currentTarget.value })} data-testid={testIds.editor.tags} />
            </Field>
            <Field label="Enabled">
              <Switch value={draft.enabled} onChange={() => set({ enabled: !draft.enabled })} data-testid={testIds.editor.enabled} />
            </Field>
          </Stack>
          <Field label="Description">
            <TextArea rows={2} value={draft.description} onChange={(e) => set({ description: e.currentTarget.value })} data-testid={testIds.editor.description} />
          </Field>
          <Field label="Condition" description="BeTraceDSL: when { … } always { … } / never { … } (docs/dsl.md)">
            <div>
              <RuleCodeEditor value={draft.condition} onChange={(condition) => set({ condition })} testId={testIds.editor.code} />
              <DiagnosticsList diagnostics={draft.condition.trim() === '' ? [] : diagnostics} />
            </div>
          </Field>
          {saveError && (
            <div data-testid={testIds.editor.saveError}>
              <ErrorState error={saveError} title="The rule was not saved" />
            </div>
          )}
          <Stack gap={1}>
            <Button onClick={save} disabled={!canSave} icon={saving ? 'spinner' : 'save'} data-testid={testIds.editor.save}>
              {isNew ? 'Create rule' : 'Save new version'}
            </Button>
            <LinkButton variant="secondary" href={path(PAGE_PATHS.rules)} data-testid={testIds.editor.cancel}>
              Cancel
            </LinkButton>
            {hasErrors && <span className={s.muted}>Fix the errors in the condition to save.</span>}
          </Stack>
        </div>
        <div className={s.side}>
          <RuleTestPanel condition={draft.condition} />
        </div>
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  title: css({ margin: 0 }),
  muted: css({ color: theme.colors.text.secondary }),
  layout: css({ display: 'flex', gap: theme.spacing(3), marginTop: theme.spacing(2), alignItems: 'flex-start', flexWrap: 'wrap' }),
  main: css({ flex: '3 1 560px', minWidth: 0 }),
  side: css({ flex: '2 1 360px', minWidth: 0 }),
});
