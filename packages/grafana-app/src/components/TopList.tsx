import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { Link } from 'react-router-dom';

export interface TopItem {
  key: string;
  label: string;
  count: number;
  href: string;
}

/** A ranked list with proportional bars (top rules, top services). */
export function TopList({ title, items, testId, rowTestId, emptyText }: { title: string; items: TopItem[]; testId: string; rowTestId: string; emptyText: string }) {
  const s = useStyles2(getStyles);
  const max = Math.max(1, ...items.map((i) => i.count));
  return (
    <div className={s.box} data-testid={testId}>
      <h4>{title}</h4>
      {items.length === 0 && <div className={s.empty}>{emptyText}</div>}
      {items.map((item) => (
        <div key={item.key} className={s.row} data-testid={`${rowTestId}-${item.key}`}>
          <Link to={item.href} className={s.label} title={item.label}>
            {item.label}
          </Link>
          <div className={s.barTrack}>
            <div className={s.bar} style={{ width: `${(item.count / max) * 100}%` }} />
          </div>
          <span className={s.count}>{item.count}</span>
        </div>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({
    flex: '1 1 320px',
    padding: theme.spacing(2),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  empty: css({ color: theme.colors.text.secondary }),
  row: css({ display: 'grid', gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 1fr) 48px', gap: theme.spacing(1), alignItems: 'center', padding: theme.spacing(0.5, 0) }),
  label: css({ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', color: theme.colors.text.link }),
  barTrack: css({ background: theme.colors.background.secondary, height: 8, borderRadius: 4 }),
  bar: css({ background: theme.colors.primary.main, height: 8, borderRadius: 4 }),
  count: css({ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }),
});
