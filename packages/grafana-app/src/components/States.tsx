import React, { type ReactNode } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { ApiError } from '../api/client';
import { useHost } from '../api/api-context';
import { testIds } from './testIds';

export function LoadingState({ text = 'Loading…' }: { text?: string }) {
  return (
    <div data-testid={testIds.states.loading}>
      <LoadingPlaceholder text={text} />
    </div>
  );
}

/** What the user can do about an error, by its kind. */
export function errorAdvice(error: Error, host: 'grafana' | 'console'): string {
  if (error instanceof ApiError) {
    if (error.status === 0 || error.status === 502 || error.status === 504) {
      return host === 'grafana'
        ? 'Grafana cannot reach BeTrace. Check the BeTrace URL on the app’s Configuration page and that `betrace serve` is running.'
        : 'BeTrace does not answer. Check that `betrace serve` is running and reachable.';
    }
    if (error.status === 401) {
      return host === 'grafana'
        ? 'BeTrace refused the API key. Set a valid key on the app’s Configuration page (create one with `betrace keys create`).'
        : 'The API key is no longer accepted. Log in again with a valid key.';
    }
    if (error.status === 403) {
      return 'The API key’s role does not allow this. Use a key with the editor or admin role.';
    }
  }
  return 'Try again; if it keeps failing, the server log has the request id.';
}

export function ErrorState({ error, title = 'Something went wrong', onRetry }: { error: Error; title?: string; onRetry?: () => void }) {
  const { host } = useHost();
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div data-testid={testIds.states.error}>
      <Alert severity="error" title={title}>
        <p>{error.message}</p>
        <p>{errorAdvice(error, host)}</p>
        {requestId && <p>Request id: {requestId}</p>}
        {onRetry && (
          <Button size="sm" variant="secondary" icon="sync" onClick={onRetry} data-testid={testIds.states.retry}>
            Retry
          </Button>
        )}
      </Alert>
    </div>
  );
}

export function EmptyMessage({ title, children }: { title: string; children?: ReactNode }) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.box} data-testid={testIds.states.empty}>
      <h4>{title}</h4>
      {children}
    </div>
  );
}

/** No span has reached BeTrace yet: how to point an OpenTelemetry exporter at it. */
export function NoSpansState() {
  const s = useStyles2(getStyles);
  return (
    <div className={s.box} data-testid={testIds.states.noSpans}>
      <h4>No spans received yet</h4>
      <p>BeTrace evaluates rules on the traces your services send it. Point an OpenTelemetry SDK or Collector at it:</p>
      <pre className={s.code}>
        {`export OTEL_EXPORTER_OTLP_ENDPOINT=http://<betrace-host>:4318   # OTLP/HTTP (gRPC: :4317)
export OTEL_TRACES_EXPORTER=otlp`}
      </pre>
      <p>Or send the example trace to try it out:</p>
      <pre className={s.code}>
        {`curl -H 'Content-Type: application/json' --data @examples/traces/checkout.json \\
  http://localhost:4318/v1/traces`}
      </pre>
      <p>With a Collector, add BeTrace as a second <code>otlp</code> exporter next to Tempo (see docs/operations.md).</p>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({
    padding: theme.spacing(3),
    border: `1px dashed ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    marginBottom: theme.spacing(2),
  }),
  code: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    background: theme.colors.background.canvas,
    padding: theme.spacing(1),
    whiteSpace: 'pre-wrap',
  }),
});
