import React, { useMemo, useState } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { LinkButton, Stack, useStyles2 } from '@grafana/ui';
import { useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useApi, useHost } from '../api/api-context';
import type { Violation } from '../api/types';
import { SeverityBadge } from '../components/SeverityBadge';
import { SpanTree } from '../components/SpanTree';
import { EmptyMessage, ErrorState, LoadingState } from '../components/States';
import { ViolationDrawer } from '../components/ViolationDrawer';
import { testIds } from '../components/testIds';
import { useAsync } from '../hooks/use-async';
import { formatNs } from '../utils/format';
import { exploreTraceUrl } from '../utils/links';

/** One recently completed trace: span tree with witness spans highlighted, its violations beside it. */
export function TracePage() {
  const s = useStyles2(getStyles);
  const api = useApi();
  const host = useHost();
  const { traceId = '' } = useParams<{ traceId: string }>();
  const trace = useAsync(() => api.getTrace(traceId), [api, traceId]);
  // Hovering a violation highlights its spans only; "Details" opens the drawer.
  const [selected, setSelected] = useState<Violation | undefined>();
  const [opened, setOpened] = useState<Violation | undefined>();
  const witnesses = useMemo(() => {
    const ids = new Set<string>();
    const from = selected ? [selected] : (trace.value?.violations ?? []);
    from.forEach((v) => [...v.trigger, ...v.offending].forEach((w) => ids.add(w.spanId)));
    return ids;
  }, [trace.value, selected]);
  const tempo = host.tempoDatasourceUid ? exploreTraceUrl(traceId, host.tempoDatasourceUid, host.grafanaUrl) : undefined;

  if (trace.status === 'loading' && trace.value === undefined) {
    return <LoadingState text="Loading the trace…" />;
  }
  if (trace.status === 'error') {
    const gone = trace.error instanceof ApiError && trace.error.status === 404;
    return (
      <div data-testid={testIds.trace.container}>
        {gone ? (
          <EmptyMessage title="This trace is no longer kept by BeTrace">
            <p>{trace.error.message}</p>
            <p>BeTrace keeps recently completed traces for a bounded time and count. Its violations are still listed on the Violations page.</p>
            {tempo && (
              <LinkButton href={tempo} icon="compass" data-testid={testIds.trace.tempoLink}>
                Open in Tempo
              </LinkButton>
            )}
          </EmptyMessage>
        ) : (
          <ErrorState error={trace.error} title="Cannot load the trace" onRetry={trace.reload} />
        )}
      </div>
    );
  }
  const t = trace.value;
  if (t === undefined) {
    return null;
  }
  return (
    <div data-testid={testIds.trace.container}>
      <Stack justifyContent="space-between" alignItems="center" wrap="wrap">
        <div>
          <h3 className={s.title}>
            {t.rootService ?? '?'} · {t.rootName ?? 'trace without a root span'}
          </h3>
          <div className={s.muted}>
            <code>{t.traceId}</code> · {t.spanCount} spans · {formatNs(t.durationNs)} · {t.services.join(', ')}
          </div>
        </div>
        {tempo && (
          <LinkButton href={tempo} variant="secondary" icon="compass" data-testid={testIds.trace.tempoLink}>
            Open in Tempo
          </LinkButton>
        )}
      </Stack>
      <div className={s.layout}>
        <div className={s.tree}>
          <SpanTree spans={t.spans} witnesses={witnesses} durationNs={t.durationNs} />
        </div>
        <div className={s.side}>
          <h4>Violations ({t.violations.length})</h4>
          {t.violations.length === 0 && <p className={s.muted}>No rule was violated by this trace.</p>}
          {t.violations.map((v) => (
            <div
              key={v.id}
              className={cx(s.violation, selected?.id === v.id && s.selected)}
              onMouseEnter={() => setSelected(v)}
              onMouseLeave={() => setSelected(undefined)}
              data-testid={`${testIds.trace.violation}-${v.id}`}
            >
              <Stack gap={1} alignItems="center">
                <SeverityBadge severity={v.severity} />
                <strong>{v.ruleName}</strong>
              </Stack>
              <p className={s.reason}>{v.reason}</p>
              <button className={s.link} onClick={() => setOpened(v)}>
                Details
              </button>
            </div>
          ))}
        </div>
      </div>
      {opened && <ViolationDrawer violation={opened} onClose={() => setOpened(undefined)} />}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  title: css({ marginBottom: 0 }),
  muted: css({ color: theme.colors.text.secondary }),
  layout: css({ display: 'flex', gap: theme.spacing(2), marginTop: theme.spacing(2), alignItems: 'flex-start', flexWrap: 'wrap' }),
  tree: css({ flex: '3 1 600px', minWidth: 0 }),
  side: css({ flex: '1 1 280px' }),
  violation: css({
    padding: theme.spacing(1),
    marginBottom: theme.spacing(1),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  selected: css({ borderColor: theme.colors.warning.border }),
  reason: css({ margin: theme.spacing(0.5, 0) }),
  link: css({ background: 'none', border: 'none', padding: 0, color: theme.colors.text.link, cursor: 'pointer' }),
});
