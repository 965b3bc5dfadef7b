import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { css, cx } from '@emotion/css';
import { createTheme, type GrafanaTheme2 } from '@grafana/data';
import { GlobalStyles, IconButton, ThemeContext, useStyles2 } from '@grafana/ui';
import { BrowserRouter, NavLink } from 'react-router-dom';
import { HostProvider, type HostSettings } from '../api/api-context';
import { createBetraceApi } from '../api/client';
import { createFetchTransport } from '../api/fetch-transport';
import type { Me } from '../api/types';
import { BetraceRoutes } from '../components/BetraceRoutes';
import { LoadingState } from '../components/States';
import { testIds } from '../components/testIds';
import { PAGE_PATHS } from '../utils/links';
import { LoginPage, loginError } from './LoginPage';
import { session } from './session';

type Auth = { state: 'checking' } | { state: 'login'; error?: string } | { state: 'in'; me: Me };

/** The standalone console: theme, login with an API key, navigation, and the shared pages. */
export function ConsoleApp() {
  const [mode, setMode] = useState<'dark' | 'light'>(session.theme());
  const theme = useMemo(() => createTheme({ colors: { mode } }), [mode]);
  const [auth, setAuth] = useState<Auth>({ state: 'checking' });
  const logout = useCallback((error?: string) => {
    session.clear();
    setAuth({ state: 'login', error });
  }, []);
  const api = useMemo(
    () => createBetraceApi(createFetchTransport({ apiKey: session.apiKey, onUnauthenticated: () => logout('Your session ended: the API key is no longer accepted. Sign in again.') })),
    [logout]
  );

  // A server started with --auth none answers /me without a key; otherwise a key kept from
  // earlier in this tab is tried before asking.
  useEffect(() => {
    api.me().then(
      (me) => setAuth({ state: 'in', me }),
      (err) => setAuth({ state: 'login', error: session.apiKey() ? loginError(err) : undefined })
    );
  }, [api]);

  const toggleTheme = () => {
    const next = mode === 'dark' ? 'light' : 'dark';
    session.setTheme(next);
    setMode(next);
  };

  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <BrowserRouter>
        {auth.state === 'checking' && <LoadingState text="Connecting to BeTrace…" />}
        {auth.state === 'login' && (
          <LoginPage
            initialError={auth.error}
            onLogin={(key, me) => {
              session.setApiKey(key);
              setAuth({ state: 'in', me });
            }}
          />
        )}
        {auth.state === 'in' && <Shell api={api} me={auth.me} onLogout={() => logout()} onToggleTheme={toggleTheme} mode={mode} />}
      </BrowserRouter>
    </ThemeContext.Provider>
  );
}

function Shell({ api, me, onLogout, onToggleTheme, mode }: { api: HostSettings['api']; me: Me; onLogout(): void; onToggleTheme(): void; mode: string }) {
  const s = useStyles2(getStyles);
  const host = useMemo<HostSettings>(() => ({ api, basePath: '', host: 'console' }), [api]);
  const nav = [
    { to: PAGE_PATHS.overview, label: 'Overview' },
    { to: PAGE_PATHS.violations, label: 'Violations' },
    { to: PAGE_PATHS.rules, label: 'Rules' },
  ];
  return (
    <HostProvider value={host}>
      <div className={s.shell}>
        <header className={s.header}>
          <span className={s.brand}>BeTrace</span>
          <nav className={s.nav} data-testid={testIds.console.nav}>
            {nav.map((n) => (
              <NavLink key={n.to} to={n.to} className={({ isActive }) => cx(s.link, isActive && s.active)} data-testid={`${testIds.console.navLink}-${n.label.toLowerCase()}`}>
                {n.label}
              </NavLink>
            ))}
          </nav>
          <span className={s.spacer} />
          <span className={s.who} data-testid={testIds.console.who}>
            {me.authEnabled ? `${me.name} (${me.role})` : 'authentication off'}
          </span>
          <IconButton name="adjust-circle" tooltip="Switch dark / light" onClick={onToggleTheme} data-testid={testIds.console.themeToggle} />
          {me.authEnabled && <IconButton name="arrow-from-right" tooltip="Sign out" onClick={onLogout} data-testid={testIds.console.logout} />}
        </header>
        <main className={s.main}>
          <BetraceRoutes
            frame={(title, page) => (
              <>
                <h2 className={s.title}>{title}</h2>
                {page}
              </>
            )}
          />
        </main>
      </div>
    </HostProvider>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  shell: css({ minHeight: '100vh', background: theme.colors.background.canvas }),
  header: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    padding: theme.spacing(1, 3),
    background: theme.colors.background.primary,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  brand: css({ fontWeight: theme.typography.fontWeightBold, fontSize: theme.typography.h4.fontSize }),
  nav: css({ display: 'flex', gap: theme.spacing(0.5) }),
  link: css({ padding: theme.spacing(0.5, 1.5), borderRadius: theme.shape.radius.default, color: theme.colors.text.secondary, '&:hover': { color: theme.colors.text.primary, background: theme.colors.action.hover } }),
  active: css({ color: theme.colors.text.primary, background: theme.colors.action.selected }),
  spacer: css({ flex: 1 }),
  who: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  main: css({ padding: theme.spacing(3), maxWidth: 1600, margin: '0 auto' }),
  title: css({ marginBottom: theme.spacing(2) }),
});
