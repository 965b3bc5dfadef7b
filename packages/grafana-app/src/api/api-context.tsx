import React, { createContext, useContext, type ReactNode } from 'react';
import type { BetraceApi } from './client';

/** What the pages need from their host (Grafana or the console). */
export interface HostSettings {
  api: BetraceApi;
  /** Prefix of the pages' own routes: '/a/<plugin id>' in Grafana, '' in the console. */
  basePath: string;
  /** Tempo data source uid for "open in Explore"; undefined where there is no Grafana. */
  tempoDatasourceUid?: string;
  /** Grafana's app URL prefix for Explore links (e.g. '' or a sub path). */
  grafanaUrl?: string;
  /** Whether the host is Grafana or the standalone console (changes the help texts). */
  host: 'grafana' | 'console';
}

const HostContext = createContext<HostSettings | undefined>(undefined);

export function HostProvider({ value, children }: { value: HostSettings; children: ReactNode }) {
  return <HostContext.Provider value={value}>{children}</HostContext.Provider>;
}

/** The host settings; throws when a page is rendered outside a HostProvider (a bug). */
export function useHost(): HostSettings {
  const host = useContext(HostContext);
  if (host === undefined) {
    throw new Error('BeTrace pages must be rendered inside <HostProvider>');
  }
  return host;
}

export function useApi(): BetraceApi {
  return useHost().api;
}
