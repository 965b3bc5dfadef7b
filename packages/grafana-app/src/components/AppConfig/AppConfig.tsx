import React, { useState, type ChangeEvent, type FormEvent } from 'react';
import { lastValueFrom } from 'rxjs';
import { css } from '@emotion/css';
import type { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { DataSourcePicker, getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, SecretInput, useStyles2 } from '@grafana/ui';
import type { AppSettings } from '../../constants';
import { testIds } from '../testIds';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

/**
 * BeTrace URL and API key (kept in secureJsonData: only Grafana's proxy reads it back), and the
 * Tempo data source that "open in Tempo" links to.
 */
const AppConfig = ({ plugin }: AppConfigProps) => {
  const s = useStyles2(getStyles);
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [betraceUrl, setBetraceUrl] = useState(jsonData?.betraceUrl ?? '');
  const [tempoDatasourceUid, setTempo] = useState(jsonData?.tempoDatasourceUid ?? '');
  const [apiKey, setApiKey] = useState('');
  const [isApiKeySet, setIsApiKeySet] = useState(Boolean(secureJsonFields?.apiKey));
  const [error, setError] = useState<string | undefined>();

  const urlValid = /^https?:\/\/[^\s/]+/.test(betraceUrl.trim());
  const canSubmit = urlValid && (isApiKeySet || apiKey !== '');

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSubmit) {
      return;
    }
    try {
      await updatePlugin(plugin.meta.id, {
        enabled,
        pinned,
        jsonData: { betraceUrl: betraceUrl.trim().replace(/\/+$/, ''), tempoDatasourceUid: tempoDatasourceUid || undefined },
        // Left out when unchanged, so a key set earlier is kept.
        secureJsonData: isApiKeySet ? undefined : { apiKey },
      });
      // The plugin's settings are read at load; a reload makes the pages use the new ones.
      window.location.reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'saving the settings failed');
    }
  };

  return (
    <form onSubmit={onSubmit} data-testid={testIds.appConfig.container}>
      <FieldSet label="BeTrace">
        <Field label="BeTrace URL" description="Where Grafana's server reaches the BeTrace API (betrace serve, port 12011)" invalid={betraceUrl !== '' && !urlValid} error="expected http(s)://host[:port]">
          <Input
            width={60}
            id="config-betrace-url"
            data-testid={testIds.appConfig.betraceUrl}
            value={betraceUrl}
            placeholder="http://betrace:12011"
            onChange={(e: ChangeEvent<HTMLInputElement>) => setBetraceUrl(e.target.value)}
          />
        </Field>
        <Field label="API key" description="A BeTrace API key (betrace keys create --role editor); stored encrypted, never sent to browsers" className={s.marginTop}>
          <SecretInput
            width={60}
            id="config-api-key"
            data-testid={testIds.appConfig.apiKey}
            value={apiKey}
            isConfigured={isApiKeySet}
            placeholder="btk_…"
            onChange={(e: ChangeEvent<HTMLInputElement>) => setApiKey(e.target.value.trim())}
            onReset={() => {
              setApiKey('');
              setIsApiKeySet(false);
            }}
          />
        </Field>
        <Field label="Tempo data source" description="Violations and traces link to this data source in Explore" className={s.marginTop}>
          <div data-testid={testIds.appConfig.tempoDatasource}>
            <DataSourcePicker width={60} pluginId="tempo" current={tempoDatasourceUid || null} noDefault onChange={(ds) => setTempo(ds.uid)} />
          </div>
        </Field>
        {error && <Alert title="Not saved">{error}</Alert>}
        <div className={s.marginTop}>
          <Button type="submit" data-testid={testIds.appConfig.submit} disabled={!canSubmit}>
            Save settings
          </Button>
        </div>
      </FieldSet>
    </form>
  );
};

export default AppConfig;

const updatePlugin = async (pluginId: string, data: Partial<PluginMeta>) => {
  const response = getBackendSrv().fetch({ url: `/api/plugins/${pluginId}/settings`, method: 'POST', data });
  return lastValueFrom(response);
};

const getStyles = (theme: GrafanaTheme2) => ({
  marginTop: css({ marginTop: theme.spacing(3) }),
});
