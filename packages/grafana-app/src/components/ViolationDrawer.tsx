import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, Drawer, LinkButton, Stack, useStyles2 } from '@grafana/ui';
import { useApi, useHost } from '../api/api-context';
import type { Violation, WitnessSpan } from '../api/types';
import { useAsync } from '../hooks/use-async';
import { usePagePath } from '../hooks/use-page-path';
import { formatTime } from '../utils/format';
import { PAGE_PATHS, exploreTraceUrl } from '../utils/links';
import { SeverityBadge } from './SeverityBadge';
import { ErrorState, LoadingState } from './States';
import { testIds } from './testIds';

/** One violation: reason, witness spans with attributes, signature check, links to the trace. */
export function ViolationDrawer({ violation, onClose }: { violation: Violation; onClose(): void }) {
  const s = useStyles2(getStyles);
  const api = useApi();
  const host = useHost();
  const path = usePagePath();
  const full = useAsync(() => api.getViolation(violation.id), [api, violation.id]);
  const v = full.value ?? violation;

  return (
    <Drawer title={v.ruleName || v.ruleId} subtitle={`Violation ${v.id}`} onClose={onClose} size="md">
      <div data-testid={testIds.drawer.container}>
        <Stack gap={1} alignItems="center" wrap="wrap">
          <SeverityBadge severity={v.severity} />
          <span className={s.muted}>
            detected {formatTime(v.detectedAt)} · rule {v.ruleId} v{v.ruleVersion}
          </span>
          <span data-testid={testIds.drawer.signature}>
            {full.status === 'loading' && <Badge color="darkgrey" text="checking signature…" />}
            {v.signatureValid === true && <Badge color="green" icon="check" text="signature valid" />}
            {v.signatureValid === false && <Badge color="red" icon="exclamation-triangle" text="signature INVALID: record altered" />}
          </span>
          {v.resolvedAt !== undefined && <Badge color="blue" text={`resolved ${formatTime(v.resolvedAt)}`} />}
        </Stack>
        {full.status === 'error' && <ErrorState error={full.error} title="Cannot check the signature" onRetry={full.reload} />}

        <h4 className={s.heading}>Reason</h4>
        <p data-testid={testIds.drawer.reason}>{v.reason}</p>
        {v.resolution && <p className={s.muted}>Resolution: {v.resolution}</p>}

        <h4 className={s.heading}>Trace</h4>
        <Stack gap={1} wrap="wrap">
          <code>{v.traceId}</code>
          <LinkButton size="sm" variant="secondary" icon="gf-traces" href={path(PAGE_PATHS.trace(v.traceId))} data-testid={testIds.drawer.traceLink}>
            BeTrace trace view
          </LinkButton>
          {host.tempoDatasourceUid && (
            <LinkButton
              size="sm"
              variant="secondary"
              icon="compass"
              href={exploreTraceUrl(v.traceId, host.tempoDatasourceUid, host.grafanaUrl)}
              data-testid={testIds.drawer.tempoLink}
            >
              Open in Tempo (Explore)
            </LinkButton>
          )}
        </Stack>

        <WitnessList title="Trigger spans" spans={v.trigger} />
        <WitnessList title="Offending spans" spans={v.offending} />
        {v.trigger.length === 0 && v.offending.length === 0 && <p className={s.muted}>This violation cites no spans (e.g. a rule about a missing span).</p>}

        <h4 className={s.heading}>Signature</h4>
        <code className={s.signature}>{v.signature}</code>
      </div>
      {full.status === 'loading' && full.value === undefined && <LoadingState text="Checking the signature…" />}
    </Drawer>
  );
}

function WitnessList({ title, spans }: { title: string; spans: WitnessSpan[] }) {
  const s = useStyles2(getStyles);
  if (spans.length === 0) {
    return null;
  }
  return (
    <>
      <h4 className={s.heading}>{title}</h4>
      {spans.map((w) => (
        <div key={w.spanId} className={s.witness} data-testid={`${testIds.drawer.witness}-${w.spanId}`}>
          <div>
            <strong>{w.name}</strong> <span className={s.muted}>· {w.service || '(no service)'} · span {w.spanId}</span>
          </div>
          {w.attributes && Object.keys(w.attributes).length > 0 ? (
            <table className={s.attrs}>
              <tbody>
                {Object.entries(w.attributes).map(([k, val]) => (
                  <tr key={k}>
                    <td className={s.attrKey}>{k}</td>
                    <td>{JSON.stringify(val)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <div className={s.muted}>The rule read no attributes of this span.</div>
          )}
        </div>
      ))}
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  heading: css({ marginTop: theme.spacing(2) }),
  muted: css({ color: theme.colors.text.secondary }),
  witness: css({
    padding: theme.spacing(1),
    marginBottom: theme.spacing(1),
    border: `1px solid ${theme.colors.border.weak}`,
    borderLeft: `3px solid ${theme.colors.warning.main}`,
    borderRadius: theme.shape.radius.default,
  }),
  attrs: css({ marginTop: theme.spacing(0.5), fontFamily: theme.typography.fontFamilyMonospace, fontSize: theme.typography.bodySmall.fontSize, td: { padding: theme.spacing(0.25, 1, 0.25, 0), verticalAlign: 'top' } }),
  attrKey: css({ color: theme.colors.text.secondary }),
  signature: css({ wordBreak: 'break-all' }),
});
