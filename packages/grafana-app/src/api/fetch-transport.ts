import { withQuery, type ApiRequest, type ApiResponse, type EventStreamResponse, type Transport } from './client';

/** Decodes a fetch body into text chunks (UTF-8 split across chunks stays intact). */
export async function* textChunks(body: ReadableStream<Uint8Array> | null): AsyncIterable<string> {
  if (body === null) {
    return;
  }
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      yield decoder.decode(value, { stream: true });
    }
    const rest = decoder.decode();
    if (rest !== '') {
      yield rest;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Same-origin `fetch` with `Authorization: Bearer <key>` (the console). `baseUrl` is '' when the
 * console is served by BeTrace itself. `onUnauthenticated` lets the shell go back to the login.
 */
export function createFetchTransport(options: {
  baseUrl?: string;
  apiKey: () => string | undefined;
  onUnauthenticated?: () => void;
  fetchImpl?: typeof fetch;
}): Transport {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const auth = (): Record<string, string> => {
    const key = options.apiKey();
    return key ? { Authorization: `Bearer ${key}` } : {};
  };
  return {
    async send(request: ApiRequest): Promise<ApiResponse> {
      const headers: Record<string, string> = { Accept: 'application/json', ...auth(), ...request.headers };
      if (request.contentType) {
        headers['Content-Type'] = request.contentType;
      }
      let response: Response;
      try {
        response = await doFetch(base + withQuery(request.path, request.query), { method: request.method, headers, body: request.body });
      } catch (err) {
        return { status: 0, text: `cannot reach BeTrace: ${err instanceof Error ? err.message : String(err)}` };
      }
      if (response.status === 401) {
        options.onUnauthenticated?.();
      }
      return { status: response.status, text: await response.text() };
    },
    async openStream(path, headers, signal): Promise<EventStreamResponse> {
      const response = await doFetch(base + path, { headers: { Accept: 'text/event-stream', ...auth(), ...headers }, signal, cache: 'no-store' });
      return { status: response.status, chunks: textChunks(response.body) };
    },
  };
}
