import React, { type ReactNode } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

/** A number with a title, as Grafana's stat panels show it. */
export function StatCard({ title, value, children, testId }: { title: string; value?: ReactNode; children?: ReactNode; testId: string }) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.card} data-testid={testId}>
      <div className={s.title}>{title}</div>
      {value !== undefined && <div className={s.value}>{value}</div>}
      {children}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    flex: '1 1 200px',
    padding: theme.spacing(2),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    minHeight: 110,
  }),
  title: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize, marginBottom: theme.spacing(1) }),
  value: css({ fontSize: theme.typography.h1.fontSize, fontWeight: theme.typography.fontWeightMedium, lineHeight: 1.2 }),
});
