// The REST API and /metrics as a client sees them: plain fetch, JSON bodies.

export interface ApiReply<T = unknown> {
  status: number;
  body: T;
}

/** A violation as GET /api/v1/violations returns it (the fields the tests read). */
export interface ViolationView {
  id: string;
  ruleId: string;
  severity: string;
  traceId: string;
  trigger: { spanId: string; name: string; service: string; attributes: Record<string, unknown> }[];
  offending: { spanId: string; name: string }[];
  reason: string;
  signature: string;
  resolvedAt?: number;
  resolution?: string;
  signatureValid?: boolean;
}

/** Calls the API at `baseUrl`, with `Authorization: Bearer <key>` when a key is given. */
export class ApiClient {
  private readonly baseUrl: string;
  private readonly key: string | undefined;

  constructor(baseUrl: string, key?: string) {
    this.baseUrl = baseUrl;
    this.key = key;
  }

  async get<T>(path: string): Promise<ApiReply<T>> {
    return this.request<T>('GET', path);
  }

  async post<T>(path: string, body: unknown): Promise<ApiReply<T>> {
    return this.request<T>('POST', path, body);
  }

  /** The Prometheus exposition text of /metrics. */
  async metrics(): Promise<string> {
    const res = await fetch(`${this.baseUrl}/metrics`);
    if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
    return res.text();
  }

  async call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<ApiReply<T>> {
    return this.request<T>(method, path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<ApiReply<T>> {
    const headers: Record<string, string> = {};
    if (this.key !== undefined) headers['authorization'] = `Bearer ${this.key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as T };
  }
}

/**
 * The value of the series `name{labels}` in Prometheus text; the sum when several series match (the
 * given labels are a subset), 0 when none does.
 */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}
