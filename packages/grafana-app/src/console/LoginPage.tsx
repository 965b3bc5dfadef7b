import React, { useState, type FormEvent } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Field, SecretInput, useStyles2 } from '@grafana/ui';
import { ApiError, createBetraceApi } from '../api/client';
import { createFetchTransport } from '../api/fetch-transport';
import type { Me } from '../api/types';
import { testIds } from '../components/testIds';

/** Why a key was refused, in words that say what to do. */
export function loginError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401) {
      return 'BeTrace does not accept this key. Check it for typos, or create one: npx betrace keys create --name me --role editor (the first start of the server prints an admin key).';
    }
    if (err.status === 0) {
      return `Cannot reach BeTrace: ${err.message}. Is the server running?`;
    }
    return `${err.message} (HTTP ${err.status})`;
  }
  return String(err);
}

/** Asks for an API key and checks it with GET /api/v1/me before keeping it. */
export function LoginPage({ onLogin, initialError }: { onLogin(key: string, me: Me): void; initialError?: string }) {
  const s = useStyles2(getStyles);
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>(initialError);
  const [checking, setChecking] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setChecking(true);
    setError(undefined);
    try {
      const api = createBetraceApi(createFetchTransport({ apiKey: () => key.trim() }));
      onLogin(key.trim(), await api.me());
    } catch (err) {
      setError(loginError(err));
    } finally {
      setChecking(false);
    }
  };

  return (
    <div className={s.wrap}>
      <form className={s.box} onSubmit={submit} data-testid={testIds.console.login.container}>
        <h2>BeTrace</h2>
        <p className={s.muted}>Sign in with a BeTrace API key.</p>
        <Field label="API key" description="Printed once on the server's first start, or made with betrace keys create">
          <SecretInput
            autoFocus
            isConfigured={false}
            onReset={() => setKey('')}
            value={key}
            placeholder="btk_…"
            onChange={(e) => setKey(e.currentTarget.value)}
            data-testid={testIds.console.login.apiKey}
          />
        </Field>
        {error && (
          <div data-testid={testIds.console.login.error}>
            <Alert severity="error" title="Not signed in">
              {error}
            </Alert>
          </div>
        )}
        <Button type="submit" disabled={key.trim() === '' || checking} icon={checking ? 'spinner' : undefined} data-testid={testIds.console.login.submit}>
          Sign in
        </Button>
      </form>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ display: 'flex', justifyContent: 'center', paddingTop: '12vh' }),
  box: css({
    width: 460,
    padding: theme.spacing(4),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  muted: css({ color: theme.colors.text.secondary }),
});
