import React, { useMemo } from 'react';
import type { AppRootProps } from '@grafana/data';
import { PluginPage, config } from '@grafana/runtime';
import { HostProvider, type HostSettings } from '../../api/api-context';
import { createBetraceApi } from '../../api/client';
import { createGrafanaTransport } from '../../api/grafana-transport';
import { PLUGIN_BASE_URL, type AppSettings } from '../../constants';
import { BetraceRoutes } from '../BetraceRoutes';

/** The app's root page in Grafana: every request goes through the plugin proxy route. */
function App({ meta }: AppRootProps<AppSettings>) {
  const settings = useMemo<HostSettings>(
    () => ({
      api: createBetraceApi(createGrafanaTransport(meta.id)),
      basePath: PLUGIN_BASE_URL,
      tempoDatasourceUid: meta.jsonData?.tempoDatasourceUid || undefined,
      grafanaUrl: config.appSubUrl ?? '',
      host: 'grafana',
    }),
    [meta.id, meta.jsonData?.tempoDatasourceUid]
  );
  return (
    <HostProvider value={settings}>
      <BetraceRoutes frame={(_title, page) => <PluginPage>{page}</PluginPage>} />
    </HostProvider>
  );
}

export default App;
