import React, { useCallback, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Stack, useStyles2 } from '@grafana/ui';
import { Link, useSearchParams } from 'react-router-dom';
import { useApi } from '../api/api-context';
import { SEVERITIES } from '../api/types';
import { RangeControls } from '../components/RangeControls';
import { SeverityBadge } from '../components/SeverityBadge';
import { StatCard } from '../components/StatCard';
import { ErrorState, LoadingState, NoSpansState } from '../components/States';
import { TopList } from '../components/TopList';
import { ViolationsChart } from '../components/ViolationsChart';
import { testIds } from '../components/testIds';
import { useAsync } from '../hooks/use-async';
import { usePagePath } from '../hooks/use-page-path';
import { PAGE_PATHS } from '../utils/links';
import { DEFAULT_RANGE, rangePreset, resolveRange } from '../utils/time-range';

/** Stat cards, violations over time by severity, top rules and services for a time range. */
export function OverviewPage() {
  const s = useStyles2(getStyles);
  const api = useApi();
  const path = usePagePath();
  const [params] = useSearchParams();
  const [range, setRange] = useState(() => rangePreset(params.get('range') ?? DEFAULT_RANGE).value);
  const [autoRefreshMs, setAutoRefreshMs] = useState(30_000);
  const data = useAsync(async () => {
    const window = resolveRange(range);
    const [stats, status] = await Promise.all([api.violationStats(window, rangePreset(range).bucket), api.status()]);
    return { stats, status };
  }, [api, range]);
  const { reload } = data;
  const refresh = useCallback(() => reload(), [reload]);
  const violationsLink = (query: Record<string, string>) => `${path(PAGE_PATHS.violations)}?${new URLSearchParams({ range, ...query })}`;

  return (
    <div data-testid={testIds.overview.container}>
      <div className={s.toolbar}>
        <RangeControls
          range={range}
          onRangeChange={setRange}
          onRefresh={refresh}
          autoRefreshMs={autoRefreshMs}
          onAutoRefreshChange={setAutoRefreshMs}
          loading={data.status === 'loading'}
        />
      </div>
      {data.status === 'error' && <ErrorState error={data.error} title="Cannot load the overview" onRetry={refresh} />}
      {data.value === undefined && data.status === 'loading' && <LoadingState text="Loading the overview…" />}
      {data.value !== undefined && (
        <>
          {data.value.status.spansAccepted === 0 && <NoSpansState />}
          <Stack gap={2} wrap="wrap">
            <StatCard title={`Violations (${rangePreset(range).label.toLowerCase()})`} value={data.value.stats.total} testId={testIds.overview.statTotal} />
            <StatCard title="By severity" testId={testIds.overview.statSeverity}>
              <div className={s.severities}>
                {SEVERITIES.map((sev) => (
                  <Link key={sev} to={violationsLink({ severity: sev })} className={s.severity} data-testid={`${testIds.overview.statSeverity}-${sev}`}>
                    <SeverityBadge severity={sev} />
                    <span className={s.severityCount}>{data.value?.stats.bySeverity[sev]}</span>
                  </Link>
                ))}
              </div>
            </StatCard>
            <StatCard title="Active rules" value={data.value.status.rules.active} testId={testIds.overview.statActiveRules}>
              <div className={s.sub}>
                {data.value.status.rules.disabled} disabled
                {data.value.status.rules.broken.length > 0 && `, ${data.value.status.rules.broken.length} broken`}
              </div>
            </StatCard>
            <StatCard title="Traces evaluated" value={data.value.status.tracesEvaluated.toLocaleString()} testId={testIds.overview.statTraces}>
              <div className={s.sub}>{data.value.status.spansAccepted.toLocaleString()} spans accepted since start</div>
            </StatCard>
          </Stack>
          <div className={s.panel}>
            <h4>Violations over time</h4>
            <ViolationsChart stats={data.value.stats} />
          </div>
          <Stack gap={2} wrap="wrap">
            <TopList
              title="Top rules"
              testId={testIds.overview.topRules}
              rowTestId={testIds.overview.topRuleRow}
              emptyText="No violations in this range."
              items={data.value.stats.byRule.slice(0, 10).map((r) => ({ key: r.ruleId, label: r.ruleName || r.ruleId, count: r.count, href: violationsLink({ ruleId: r.ruleId }) }))}
            />
            <TopList
              title="Top services"
              testId={testIds.overview.topServices}
              rowTestId={testIds.overview.topServiceRow}
              emptyText="No violations in this range."
              items={data.value.stats.byService.slice(0, 10).map((x) => ({ key: x.service, label: x.service || '(no service.name)', count: x.count, href: violationsLink({ service: x.service }) }))}
            />
          </Stack>
        </>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  toolbar: css({ display: 'flex', justifyContent: 'flex-end', marginBottom: theme.spacing(2) }),
  panel: css({
    margin: theme.spacing(2, 0),
    padding: theme.spacing(2),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  severities: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(90px, 1fr))', gap: theme.spacing(0.5) }),
  severity: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), color: theme.colors.text.primary }),
  severityCount: css({ fontVariantNumeric: 'tabular-nums' }),
  sub: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
