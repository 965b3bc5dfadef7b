import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, Button, Icon, Select, Stack, useStyles2 } from '@grafana/ui';
import { useSearchParams } from 'react-router-dom';
import { useApi } from '../api/api-context';
import { SEVERITIES, type Violation, type ViolationFilter } from '../api/types';
import { RangeControls } from '../components/RangeControls';
import { SeverityBadge } from '../components/SeverityBadge';
import { EmptyMessage, ErrorState, LoadingState } from '../components/States';
import { ViolationDrawer } from '../components/ViolationDrawer';
import { ViolationFilters } from '../components/ViolationFilters';
import { testIds } from '../components/testIds';
import { useAsync } from '../hooks/use-async';
import { useDebounced } from '../hooks/use-debounced';
import { useViolationStream } from '../hooks/use-violation-stream';
import { downloadText, formatAgo, formatTime } from '../utils/format';
import { DEFAULT_RANGE, rangePreset, resolveRange } from '../utils/time-range';
import { filterFromParams, filterToParams, matchesFilter, servicesOf } from '../utils/violation-filter';

type SortKey = 'detectedAt' | 'severity' | 'rule';
const PAGE_SIZES = [25, 50, 100, 250];

/** Filterable, paged, live table of violations with a detail drawer and CSV export. */
export function ViolationsPage() {
  const s = useStyles2(getStyles);
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const [filter, setFilter] = useState<ViolationFilter>(() => filterFromParams(params));
  const [range, setRange] = useState(() => rangePreset(params.get('range') ?? DEFAULT_RANGE).value);
  const [autoRefreshMs, setAutoRefreshMs] = useState(0);
  const [pageSize, setPageSize] = useState(50);
  // Cursors and live arrivals belong to one query; a new filter, range or page size starts over.
  const [paging, setPaging] = useState<{ key: string; cursors: Array<string | undefined> }>({ key: '', cursors: [undefined] });
  const [liveState, setLiveState] = useState<{ key: string; items: Violation[] }>({ key: '', items: [] });
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'detectedAt', desc: true });
  const [selected, setSelected] = useState<Violation | undefined>();
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<Error | undefined>();
  const debounced = useDebounced(filter, 300);
  const queryKey = JSON.stringify([debounced, range, pageSize]);
  const cursors = useMemo(() => (paging.key === queryKey ? paging.cursors : [undefined]), [paging, queryKey]);
  const setCursors = (next: (c: Array<string | undefined>) => Array<string | undefined>) => setPaging({ key: queryKey, cursors: next(cursors) });
  const live = useMemo(() => (liveState.key === queryKey ? liveState.items : []), [liveState, queryKey]);
  const setLive = (next: (l: Violation[]) => Violation[]) => setLiveState((cur) => ({ key: queryKey, items: next(cur.key === queryKey ? cur.items : []) }));
  const page = cursors.length - 1;

  useEffect(() => {
    setParams(filterToParams(filter, range), { replace: true });
  }, [filter, range, setParams]);

  const rules = useAsync(() => api.listRules(), [api]);
  // The window is taken at each load, so a refresh moves it to now.
  const list = useAsync(
    () => api.listViolations({ ...debounced, ...resolveRange(range) }, { limit: pageSize, cursor: cursors[page] }),
    [api, debounced, range, pageSize, cursors, page]
  );
  const { reload } = list;
  const refresh = useCallback(() => {
    setLiveState({ key: '', items: [] });
    reload();
  }, [reload]);

  const stream = useViolationStream((v) => {
    if (matchesFilter(v, debounced)) {
      setLive((prev) => [v, ...prev.filter((x) => x.id !== v.id)].slice(0, pageSize));
    }
  });

  const rows = useMemo(() => {
    const loaded = list.value?.items ?? [];
    const liveIds = new Set(live.map((v) => v.id));
    const merged = page === 0 ? [...live, ...loaded.filter((v) => !liveIds.has(v.id))].slice(0, pageSize) : loaded;
    return sortRows(merged, sort.key, sort.desc);
  }, [list.value, live, page, pageSize, sort]);
  const liveIds = useMemo(() => new Set(live.map((v) => v.id)), [live]);

  const exportCsv = async () => {
    setExporting(true);
    setExportError(undefined);
    try {
      const csv = await api.exportViolationsCsv({ ...debounced, ...resolveRange(range) });
      downloadText(csv, `betrace-violations-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`, 'text/csv');
    } catch (err) {
      setExportError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setExporting(false);
    }
  };

  const header = (key: SortKey, label: string) => (
    <th>
      <button
        className={s.sortButton}
        onClick={() => setSort((cur) => ({ key, desc: cur.key === key ? !cur.desc : key === 'detectedAt' }))}
        data-testid={`${testIds.violations.sortHeader}-${key}`}
        aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
      >
        {label} {sort.key === key && <Icon name={sort.desc ? 'arrow-down' : 'arrow-up'} size="sm" />}
      </button>
    </th>
  );

  return (
    <div data-testid={testIds.violations.container}>
      <div className={s.toolbar}>
        <LiveStatus state={stream.state} detail={stream.detail} count={live.length} />
        <Stack gap={1}>
          <Button variant="secondary" icon={exporting ? 'spinner' : 'download-alt'} onClick={exportCsv} disabled={exporting} data-testid={testIds.violations.exportCsv}>
            Export CSV
          </Button>
          <RangeControls range={range} onRangeChange={setRange} onRefresh={refresh} autoRefreshMs={autoRefreshMs} onAutoRefreshChange={setAutoRefreshMs} loading={list.status === 'loading'} />
        </Stack>
      </div>
      <ViolationFilters filter={filter} rules={rules.value ?? []} onChange={setFilter} />
      {exportError && <ErrorState error={exportError} title="CSV export failed" />}
      {list.status === 'error' && <ErrorState error={list.error} title="Cannot load violations" onRetry={refresh} />}
      {list.status === 'loading' && list.value === undefined && <LoadingState text="Loading violations…" />}
      {list.value !== undefined && rows.length === 0 && (
        <EmptyMessage title="No violations match">
          <p>
            {Object.values(debounced).some((x) => x !== undefined && (!Array.isArray(x) || x.length > 0))
              ? 'Nothing matches these filters in this time range. Clear filters or widen the range.'
              : `No rule was violated in the ${rangePreset(range).label.toLowerCase()}. New violations appear here as they are found.`}
          </p>
        </EmptyMessage>
      )}
      {rows.length > 0 && (
        <table className={s.table} data-testid={testIds.violations.table}>
          <thead>
            <tr>
              {header('detectedAt', 'Detected')}
              {header('severity', 'Severity')}
              {header('rule', 'Rule')}
              <th>Services</th>
              <th>Reason</th>
              <th>Trace</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((v) => (
              <tr
                key={v.id}
                className={cx(s.row, liveIds.has(v.id) && s.newRow, selected?.id === v.id && s.selectedRow)}
                onClick={() => setSelected(v)}
                data-testid={`${testIds.violations.row}-${v.id}`}
                tabIndex={0}
                onKeyDown={(e) => e.key === 'Enter' && setSelected(v)}
              >
                <td title={formatTime(v.detectedAt)} className={s.nowrap}>
                  {formatTime(v.detectedAt)}
                  <div className={s.muted}>{formatAgo(v.detectedAt)}</div>
                </td>
                <td>
                  <SeverityBadge severity={v.severity} />
                </td>
                <td>
                  {v.ruleName}
                  <div className={s.muted}>{v.ruleId}</div>
                </td>
                <td>{servicesOf(v).join(', ')}</td>
                <td className={s.reason}>{v.reason}</td>
                <td>
                  <code className={s.trace}>{v.traceId.slice(0, 12)}…</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className={s.pager}>
        <span className={s.muted}>Rows per page</span>
        <div data-testid={testIds.violations.pageSize}>
          <Select aria-label="Rows per page" width={10} options={PAGE_SIZES.map((n) => ({ value: n, label: String(n) }))} value={pageSize} onChange={(v) => setPageSize(v.value ?? 50)} />
        </div>
        <Button size="sm" variant="secondary" icon="angle-left" disabled={page === 0} onClick={() => setCursors((c) => c.slice(0, -1))} data-testid={testIds.violations.prevPage}>
          Previous
        </Button>
        <span data-testid={testIds.violations.pageNumber}>Page {page + 1}</span>
        <Button
          size="sm"
          variant="secondary"
          icon="angle-right"
          disabled={!list.value?.nextCursor}
          onClick={() => list.value?.nextCursor && setCursors((c) => [...c, list.value?.nextCursor ?? undefined])}
          data-testid={testIds.violations.nextPage}
        >
          Next
        </Button>
        <span className={s.muted}>Sorting orders the rows of this page; pages follow detection time, newest first.</span>
      </div>
      {selected && <ViolationDrawer violation={selected} onClose={() => setSelected(undefined)} />}
    </div>
  );
}

function LiveStatus({ state, detail, count }: { state: string; detail?: string; count: number }) {
  const text =
    state === 'live'
      ? `Live${count > 0 ? ` · ${count} new` : ''}`
      : state === 'unavailable'
        ? 'Live updates unavailable: refresh to see new violations'
        : state === 'reconnecting'
          ? 'Reconnecting…'
          : 'Connecting…';
  const color = state === 'live' ? 'green' : state === 'unavailable' ? 'darkgrey' : 'orange';
  const icon = state === 'live' ? 'circle-mono' : 'sync';
  return (
    <span data-testid={testIds.violations.liveStatus} title={detail} data-state={state}>
      {/* A new Badge per icon: @grafana/ui's Icon kept drawing "sync" after switching to "circle-mono". */}
      <Badge key={icon} color={color} icon={icon} text={text} />
    </span>
  );
}

const SEVERITY_RANK = Object.fromEntries(SEVERITIES.map((sev, i) => [sev, SEVERITIES.length - i]));

function sortRows(rows: Violation[], key: SortKey, desc: boolean): Violation[] {
  const sign = desc ? -1 : 1;
  const cmp = (a: Violation, b: Violation): number => {
    switch (key) {
      case 'detectedAt':
        return a.detectedAt - b.detectedAt;
      case 'severity':
        return (SEVERITY_RANK[a.severity] ?? 0) - (SEVERITY_RANK[b.severity] ?? 0) || b.detectedAt - a.detectedAt;
      case 'rule':
        return a.ruleName.localeCompare(b.ruleName) || b.detectedAt - a.detectedAt;
    }
    const unreachable: never = key;
    return unreachable;
  };
  return [...rows].sort((a, b) => sign * cmp(a, b));
}

const getStyles = (theme: GrafanaTheme2) => ({
  toolbar: css({ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: theme.spacing(1), flexWrap: 'wrap', marginBottom: theme.spacing(2) }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    th: { textAlign: 'left', padding: theme.spacing(1), borderBottom: `1px solid ${theme.colors.border.medium}`, color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
    td: { padding: theme.spacing(1), borderBottom: `1px solid ${theme.colors.border.weak}`, verticalAlign: 'top' },
  }),
  row: css({ cursor: 'pointer', '&:hover': { background: theme.colors.action.hover } }),
  newRow: css({ boxShadow: `inset 3px 0 0 ${theme.colors.success.main}` }),
  selectedRow: css({ background: theme.colors.action.selected }),
  sortButton: css({ background: 'none', border: 'none', color: 'inherit', font: 'inherit', padding: 0, cursor: 'pointer' }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  nowrap: css({ whiteSpace: 'nowrap' }),
  reason: css({ maxWidth: 480 }),
  trace: css({ fontSize: theme.typography.bodySmall.fontSize }),
  pager: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), marginTop: theme.spacing(2), flexWrap: 'wrap' }),
});
