import React, { useState } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { TraceSpan } from '../api/types';
import { formatNs } from '../utils/format';
import { spanRows } from '../utils/span-tree';
import { testIds } from './testIds';

/** The trace's spans as a tree with duration bars on a shared time axis; witness spans stand out. */
export function SpanTree({ spans, witnesses, durationNs }: { spans: TraceSpan[]; witnesses: Set<string>; durationNs: string }) {
  const s = useStyles2(getStyles);
  const [open, setOpen] = useState<string | undefined>();
  const rows = spanRows(spans);
  return (
    <div className={s.tree} role="table" aria-label="Spans">
      <div className={cx(s.row, s.head)} role="row">
        <span>Service · span</span>
        <span className={s.axis}>
          <span>0</span>
          <span>{formatNs(Number(durationNs) / 2)}</span>
          <span>{formatNs(durationNs)}</span>
        </span>
      </div>
      {rows.map(({ span, depth, offset, width }) => {
        const witness = witnesses.has(span.spanId);
        const error = span.status === 'error';
        return (
          <React.Fragment key={span.spanId}>
            <div
              role="row"
              className={cx(s.row, s.spanRow, witness && s.witness)}
              onClick={() => setOpen(open === span.spanId ? undefined : span.spanId)}
              data-testid={`${witness ? testIds.trace.witnessSpanRow : testIds.trace.spanRow}-${span.spanId}`}
            >
              <span className={s.name} style={{ paddingLeft: depth * 16 }} title={`${span.service} ${span.name}`}>
                <span className={s.service}>{span.service || '?'}</span> {span.name}
                {error && <span className={s.error}> ✕ {span.statusMessage || 'error'}</span>}
              </span>
              <span className={s.track}>
                <span
                  className={cx(s.bar, witness && s.barWitness, error && s.barError)}
                  style={{ left: `${offset * 100}%`, width: `max(2px, ${width * 100}%)` }}
                />
                {/* After the bar; a bar reaching the right edge gets its label on its left instead. */}
                <span
                  className={s.duration}
                  style={offset + width > 0.85 ? { right: `calc(${(1 - offset) * 100}% + 4px)`, ...(offset < 0.15 ? { right: 'auto', left: 0, color: 'inherit' } : {}) } : { left: `${(offset + width) * 100}%` }}
                >
                  {formatNs(span.durationNs)}
                </span>
              </span>
            </div>
            {open === span.spanId && (
              <div className={s.details}>
                <div>
                  span {span.spanId} · kind {span.kind} · status {span.status}
                  {span.statusMessage ? ` (${span.statusMessage})` : ''}
                </div>
                <table>
                  <tbody>
                    {Object.entries(span.attributes).map(([k, v]) => (
                      <tr key={k}>
                        <td className={s.key}>{k}</td>
                        <td>{JSON.stringify(v)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </React.Fragment>
        );
      })}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  tree: css({ border: `1px solid ${theme.colors.border.weak}`, borderRadius: theme.shape.radius.default, overflow: 'hidden' }),
  row: css({ display: 'grid', gridTemplateColumns: 'minmax(240px, 2fr) 3fr', gap: theme.spacing(1), padding: theme.spacing(0.5, 1), alignItems: 'center' }),
  head: css({ background: theme.colors.background.secondary, color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  axis: css({ display: 'flex', justifyContent: 'space-between' }),
  spanRow: css({ cursor: 'pointer', borderTop: `1px solid ${theme.colors.border.weak}`, '&:hover': { background: theme.colors.action.hover } }),
  witness: css({ background: theme.colors.warning.transparent, boxShadow: `inset 3px 0 0 ${theme.colors.warning.main}` }),
  name: css({ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
  service: css({ color: theme.colors.text.secondary }),
  error: css({ color: theme.colors.error.text }),
  track: css({ position: 'relative', height: 18 }),
  bar: css({ position: 'absolute', top: 4, height: 10, borderRadius: 2, background: theme.colors.primary.main }),
  barWitness: css({ background: theme.colors.warning.main }),
  barError: css({ background: theme.colors.error.main }),
  duration: css({ position: 'absolute', top: 0, padding: theme.spacing(0, 0.5), fontSize: theme.typography.bodySmall.fontSize, color: theme.colors.text.secondary, whiteSpace: 'nowrap' }),
  details: css({ padding: theme.spacing(1, 2), background: theme.colors.background.secondary, fontFamily: theme.typography.fontFamilyMonospace, fontSize: theme.typography.bodySmall.fontSize }),
  key: css({ color: theme.colors.text.secondary, paddingRight: theme.spacing(2) }),
});
