import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;

/** The app's jsonData (secureJsonData holds `apiKey`, which the browser never reads back). */
export interface AppSettings {
  betraceUrl?: string;
  tempoDatasourceUid?: string;
}
