import React, { useRef, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, ConfirmModal, LinkButton, Stack, Switch, useStyles2 } from '@grafana/ui';
import { Link } from 'react-router-dom';
import { useApi } from '../api/api-context';
import type { ImportReport, Rule } from '../api/types';
import { SeverityBadge } from '../components/SeverityBadge';
import { EmptyMessage, ErrorState, LoadingState } from '../components/States';
import { testIds } from '../components/testIds';
import { useAsync } from '../hooks/use-async';
import { usePagePath } from '../hooks/use-page-path';
import { downloadText, formatAgo, formatTime } from '../utils/format';
import { PAGE_PATHS } from '../utils/links';

const DAY = 86_400_000;

/** Every rule with its switch, severity, last-24-h count and last violation; CRUD, import, export. */
export function RulesPage() {
  const s = useStyles2(getStyles);
  const api = useApi();
  const path = usePagePath();
  const data = useAsync(async () => {
    const now = Date.now();
    const [rules, stats] = await Promise.all([api.listRules(), api.violationStats({ from: now - DAY, to: now }, '1d')]);
    return { rules, counts: new Map(stats.byRule.map((r) => [r.ruleId, r.count])) };
  }, [api]);
  const [deleting, setDeleting] = useState<Rule | undefined>();
  const [actionError, setActionError] = useState<Error | undefined>();
  const [report, setReport] = useState<ImportReport | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const fileInput = useRef<HTMLInputElement>(null);

  const act = async (what: string, fn: () => Promise<unknown>) => {
    setBusy(what);
    setActionError(undefined);
    try {
      await fn();
      data.reload();
    } catch (err) {
      setActionError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(undefined);
    }
  };

  const importFile = async (file: File) => {
    const text = await file.text();
    await act('import', async () => setReport(await api.importRules(text)));
    if (fileInput.current) {
      fileInput.current.value = '';
    }
  };

  return (
    <div data-testid={testIds.rules.container}>
      <Stack justifyContent="space-between" wrap="wrap">
        <LinkButton icon="plus" href={path(PAGE_PATHS.newRule)} data-testid={testIds.rules.create}>
          New rule
        </LinkButton>
        <Stack gap={1}>
          <input
            ref={fileInput}
            type="file"
            accept=".yaml,.yml,text/yaml"
            className={s.hidden}
            aria-label="Import a YAML rule pack"
            data-testid={testIds.rules.importInput}
            onChange={(e) => e.currentTarget.files?.[0] && importFile(e.currentTarget.files[0])}
          />
          <Button variant="secondary" icon="upload" onClick={() => fileInput.current?.click()} disabled={busy === 'import'}>
            Import YAML
          </Button>
          <Button
            variant="secondary"
            icon="download-alt"
            data-testid={testIds.rules.export}
            onClick={() => act('export', async () => downloadText(await api.exportRules(), 'betrace-rules.yaml', 'text/yaml'))}
          >
            Export YAML
          </Button>
        </Stack>
      </Stack>
      {actionError && <ErrorState error={actionError} title="The change was not made" />}
      {report && <ImportSummary report={report} onDismiss={() => setReport(undefined)} />}
      {data.status === 'error' && <ErrorState error={data.error} title="Cannot load rules" onRetry={data.reload} />}
      {data.status === 'loading' && data.value === undefined && <LoadingState text="Loading rules…" />}
      {data.value && data.value.rules.length === 0 && (
        <EmptyMessage title="No rules yet">
          <p>
            Create one with <strong>New rule</strong> (start from a template of the example packs), import a YAML pack, or start the server with{' '}
            <code>--rules examples/rules</code>.
          </p>
        </EmptyMessage>
      )}
      {data.value && data.value.rules.length > 0 && (
        <table className={s.table} data-testid={testIds.rules.table}>
          <thead>
            <tr>
              <th>Enabled</th>
              <th>Rule</th>
              <th>Severity</th>
              <th>Violations (24 h)</th>
              <th>Last violation</th>
              <th>Version</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.value.rules.map((r) => (
              <tr key={r.id} data-testid={`${testIds.rules.row}-${r.id}`}>
                <td>
                  <Switch
                    value={r.enabled}
                    disabled={busy === r.id}
                    aria-label={`${r.enabled ? 'Disable' : 'Enable'} ${r.name}`}
                    data-testid={`${testIds.rules.enabledSwitch}-${r.id}`}
                    onChange={() => act(r.id, () => api.setRuleEnabled(r.id, !r.enabled, r.version))}
                  />
                </td>
                <td>
                  <Link to={path(PAGE_PATHS.editRule(r.id))}>{r.name}</Link>
                  <div className={s.muted}>
                    {r.id}
                    {r.source === 'file' && ' · from a rule file'}
                    {r.tags.length > 0 && ` · ${r.tags.join(', ')}`}
                  </div>
                </td>
                <td>
                  <SeverityBadge severity={r.severity} />
                </td>
                <td>
                  <Link to={`${path(PAGE_PATHS.violations)}?ruleId=${encodeURIComponent(r.id)}&range=24h`} data-testid={`${testIds.rules.violationsLink}-${r.id}`}>
                    {data.value?.counts.get(r.id) ?? 0}
                  </Link>
                </td>
                <td>
                  <LastViolation ruleId={r.id} />
                </td>
                <td className={s.muted} title={`updated ${r.updatedAt} by ${r.updatedBy}`}>
                  v{r.version}
                </td>
                <td>
                  <Stack gap={0.5}>
                    <LinkButton size="sm" variant="secondary" icon="pen" href={path(PAGE_PATHS.editRule(r.id))} data-testid={`${testIds.rules.edit}-${r.id}`} aria-label={`Edit ${r.name}`} />
                    <Button size="sm" variant="destructive" icon="trash-alt" onClick={() => setDeleting(r)} data-testid={`${testIds.rules.delete}-${r.id}`} aria-label={`Delete ${r.name}`} />
                  </Stack>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmModal
        isOpen={deleting !== undefined}
        title="Delete rule"
        body={
          deleting?.source === 'file'
            ? `Delete "${deleting.name}"? It comes from a rule file: the file adds it again on the next re-sync unless you remove it there.`
            : `Delete "${deleting?.name}"? Its versions and recorded violations are kept.`
        }
        confirmText="Delete"
        confirmButtonVariant="destructive"
        onConfirm={() => {
          const r = deleting;
          setDeleting(undefined);
          if (r) {
            void act(r.id, () => api.deleteRule(r.id, r.version));
          }
        }}
        onDismiss={() => setDeleting(undefined)}
      />
    </div>
  );
}

function LastViolation({ ruleId }: { ruleId: string }) {
  const api = useApi();
  const last = useAsync(() => api.listViolations({ ruleId }, { limit: 1 }), [api, ruleId]);
  const v = last.value?.items[0];
  if (last.status === 'error') {
    return <span title={last.error.message}>?</span>;
  }
  if (last.value === undefined) {
    return <span>…</span>;
  }
  return v ? <span title={formatTime(v.detectedAt)}>{formatAgo(v.detectedAt)}</span> : <span>never</span>;
}

function ImportSummary({ report, onDismiss }: { report: ImportReport; onDismiss(): void }) {
  const failed = report.rules.filter((r) => r.outcome === 'error');
  const { created, updated, unchanged, error } = report.counts;
  return (
    <div data-testid={testIds.rules.importReport}>
      <Alert severity={error > 0 || report.problems.length > 0 ? 'warning' : 'success'} title={`Imported: ${created} created, ${updated} updated, ${unchanged} unchanged, ${error} failed`} onRemove={onDismiss}>
        {[...report.problems, ...failed.flatMap((r) => r.problems.map((p) => ({ ...p, message: `${r.id}: ${p.message}` })))].map((p, i) => (
          <div key={i}>
            line {p.line}:{p.column} {p.code ? `[${p.code}] ` : ''}
            {p.message}
          </div>
        ))}
        {failed
          .filter((r) => r.error)
          .map((r) => (
            <div key={r.id}>
              {r.id}: {r.error?.message}
            </div>
          ))}
      </Alert>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  hidden: css({ display: 'none' }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  table: css({
    width: '100%',
    marginTop: theme.spacing(2),
    borderCollapse: 'collapse',
    th: { textAlign: 'left', padding: theme.spacing(1), borderBottom: `1px solid ${theme.colors.border.medium}`, color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
    td: { padding: theme.spacing(1), borderBottom: `1px solid ${theme.colors.border.weak}`, verticalAlign: 'top' },
  }),
});
