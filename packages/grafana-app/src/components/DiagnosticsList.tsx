import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2 } from '@grafana/ui';
import type { EditorDiagnostic } from '../dsl/lint';
import { testIds } from './testIds';

/** The editor's diagnostics as a list: position, code, message and hint. */
export function DiagnosticsList({ diagnostics }: { diagnostics: EditorDiagnostic[] }) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.list} data-testid={testIds.editor.diagnostics} aria-live="polite">
      {diagnostics.length === 0 && (
        <div className={s.ok}>
          <Icon name="check" /> The condition checks.
        </div>
      )}
      {diagnostics.map((d, i) => (
        <div key={i} className={cx(s.item, s[d.severity])} data-testid={testIds.editor.diagnostic} data-code={d.code}>
          <Icon name={d.severity === 'error' ? 'exclamation-circle' : d.severity === 'warning' ? 'exclamation-triangle' : 'info-circle'} />{' '}
          <span className={s.pos}>
            {d.line}:{d.column}
          </span>{' '}
          <code>{d.code}</code> {d.message}
          {d.hint && <div className={s.hint}>hint: {d.hint}</div>}
        </div>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ marginTop: theme.spacing(1), fontSize: theme.typography.bodySmall.fontSize }),
  ok: css({ color: theme.colors.success.text }),
  item: css({ padding: theme.spacing(0.5, 0) }),
  error: css({ color: theme.colors.error.text }),
  warning: css({ color: theme.colors.warning.text }),
  info: css({ color: theme.colors.info.text }),
  pos: css({ fontFamily: theme.typography.fontFamilyMonospace }),
  hint: css({ color: theme.colors.text.secondary, paddingLeft: theme.spacing(3) }),
});
