/** Paths of the pages, below the host's base path. */
export const PAGE_PATHS = {
  overview: '/overview',
  violations: '/violations',
  rules: '/rules',
  newRule: '/rules/new',
  editRule: (id: string) => `/rules/${encodeURIComponent(id)}/edit`,
  trace: (traceId: string) => `/traces/${encodeURIComponent(traceId)}`,
} as const;

/** Grafana Explore showing a trace from the configured Tempo data source. */
export function exploreTraceUrl(traceId: string, datasourceUid: string, grafanaUrl = ''): string {
  const pane = {
    datasource: datasourceUid,
    queries: [{ refId: 'A', datasource: { type: 'tempo', uid: datasourceUid }, queryType: 'traceql', query: traceId }],
    range: { from: 'now-24h', to: 'now' },
  };
  return `${grafanaUrl}/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify({ a: pane }))}`;
}
