import { lastValueFrom } from 'rxjs';
import { getBackendSrv, type FetchError } from '@grafana/runtime';
import { withQuery, type ApiRequest, type ApiResponse, type EventStreamResponse, type Transport } from './client';
import { textChunks } from './fetch-transport';

/** Where plugin.json's `api` route is reached: Grafana adds the key from secureJsonData there. */
export function proxyBase(pluginId: string): string {
  return `/api/plugin-proxy/${pluginId}`;
}

/**
 * Requests through Grafana's plugin proxy with `getBackendSrv().fetch`; the browser never sees
 * the API key. The event stream uses plain `fetch` to the same proxy path (the backend service
 * buffers whole responses), with Grafana's session cookie.
 */
export function createGrafanaTransport(pluginId: string): Transport {
  const base = proxyBase(pluginId);
  return {
    async send(request: ApiRequest): Promise<ApiResponse> {
      const headers: Record<string, string> = { ...request.headers };
      if (request.contentType) {
        headers['Content-Type'] = request.contentType;
      }
      try {
        const response = await lastValueFrom(
          getBackendSrv().fetch<string>({
            url: base + withQuery(request.path, request.query),
            method: request.method,
            headers,
            data: request.body,
            responseType: 'text',
            showErrorAlert: false,
            showSuccessAlert: false,
          })
        );
        return { status: response.status, text: response.data };
      } catch (err) {
        const e = err as FetchError<unknown>;
        if (typeof e?.status === 'number') {
          const data = typeof e.data === 'string' ? e.data : JSON.stringify(e.data ?? '');
          return { status: e.status, text: data };
        }
        return { status: 0, text: `cannot reach Grafana's plugin proxy: ${String(err)}` };
      }
    },
    async openStream(path, headers, signal): Promise<EventStreamResponse> {
      const response = await fetch(base + path, { headers: { Accept: 'text/event-stream', ...headers }, signal, credentials: 'same-origin', cache: 'no-store' });
      return { status: response.status, chunks: textChunks(response.body) };
    },
  };
}
