import type {
  ImportReport, Me, NewRule, Rule, RuleChanges, RuleTestInput, RuleTestResult, Status, TraceDetail, TraceSummary,
  Violation, ViolationFilter, ViolationPage, ViolationStats,
} from './types';

/** One HTTP request to the BeTrace API; `path` starts with `/api/v1/`. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  text: string;
}

/** A byte stream opened for server-sent events, decoded to text chunks. */
export interface EventStreamResponse {
  status: number;
  chunks: AsyncIterable<string>;
}

/**
 * How requests reach the API: through Grafana's plugin proxy (which adds the key) in the plugin,
 * same-origin `fetch` with the key from the login screen in the console.
 */
export interface Transport {
  send(request: ApiRequest): Promise<ApiResponse>;
  openStream(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<EventStreamResponse>;
}

/** An API failure as the error envelope `{ error: { code, message, requestId } }` describes it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly details?: unknown
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Every call the pages make to BeTrace. */
export interface BetraceApi {
  me(): Promise<Me>;
  status(): Promise<Status>;
  listRules(): Promise<Rule[]>;
  getRule(id: string): Promise<Rule>;
  createRule(rule: NewRule): Promise<Rule>;
  updateRule(id: string, changes: RuleChanges): Promise<Rule>;
  deleteRule(id: string, version?: number): Promise<Rule>;
  setRuleEnabled(id: string, enabled: boolean, version?: number): Promise<Rule>;
  testRule(input: RuleTestInput): Promise<RuleTestResult>;
  exportRules(): Promise<string>;
  importRules(yaml: string): Promise<ImportReport>;
  listViolations(filter: ViolationFilter, page?: { limit?: number; cursor?: string }): Promise<ViolationPage>;
  getViolation(id: string): Promise<Violation>;
  violationStats(filter: ViolationFilter, bucket?: string): Promise<ViolationStats>;
  exportViolationsCsv(filter: ViolationFilter): Promise<string>;
  listTraces(limit?: number): Promise<TraceSummary[]>;
  getTrace(traceId: string): Promise<TraceDetail>;
  /** Opens GET /api/v1/violations/stream, resuming after `lastEventId` when given. */
  openViolationStream(lastEventId: string | undefined, signal: AbortSignal): Promise<EventStreamResponse>;
}

/** The query parameters of a violation filter, as the list, stats and CSV export take them. */
export function violationQuery(filter: ViolationFilter): Record<string, string | undefined> {
  const text = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : s.trim());
  return {
    ruleId: text(filter.ruleId),
    severity: filter.severity && filter.severity.length > 0 ? filter.severity.join(',') : undefined,
    service: text(filter.service),
    traceId: text(filter.traceId),
    q: text(filter.q),
    from: filter.from === undefined ? undefined : String(Math.floor(filter.from)),
    to: filter.to === undefined ? undefined : String(Math.floor(filter.to)),
  };
}

/** Path plus query string, leaving out unset parameters. */
export function withQuery(path: string, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined) {
      params.set(k, v);
    }
  }
  const qs = params.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

/** Turns a non-2xx answer into an ApiError, reading the envelope when there is one. */
export function toApiError(response: ApiResponse): ApiError {
  try {
    const body = JSON.parse(response.text) as { error?: { code?: string; message?: string; requestId?: string; details?: unknown } };
    if (body.error && typeof body.error.message === 'string') {
      return new ApiError(response.status, body.error.code ?? 'internal', body.error.message, body.error.requestId, body.error.details);
    }
  } catch {
    // not JSON: a proxy or gateway answered
  }
  const snippet = response.text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  return new ApiError(response.status, response.status === 0 ? 'network' : 'http_' + response.status, `HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`);
}

/** The BeTrace API over a transport. */
export function createBetraceApi(transport: Transport): BetraceApi {
  const call = async (request: ApiRequest): Promise<string> => {
    const response = await transport.send(request);
    if (response.status < 200 || response.status >= 300) {
      throw toApiError(response);
    }
    return response.text;
  };
  const json = async <T>(request: ApiRequest): Promise<T> => JSON.parse(await call(request)) as T;
  const post = <T>(path: string, body: unknown) => json<T>({ method: 'POST', path, body: JSON.stringify(body), contentType: 'application/json' });
  const rule = (id: string) => `/api/v1/rules/${encodeURIComponent(id)}`;

  return {
    me: () => json({ method: 'GET', path: '/api/v1/me' }),
    status: () => json({ method: 'GET', path: '/api/v1/status' }),
    listRules: async () => (await json<{ items: Rule[] }>({ method: 'GET', path: '/api/v1/rules' })).items,
    getRule: (id) => json({ method: 'GET', path: rule(id) }),
    createRule: (r) => post('/api/v1/rules', r),
    updateRule: (id, changes) => json({ method: 'PUT', path: rule(id), body: JSON.stringify(changes), contentType: 'application/json' }),
    deleteRule: (id, version) =>
      json({ method: 'DELETE', path: rule(id), ...(version === undefined ? {} : { headers: { 'If-Match': `"${version}"` } }) }),
    setRuleEnabled: (id, enabled, version) => post(`${rule(id)}/${enabled ? 'enable' : 'disable'}`, version === undefined ? {} : { version }),
    testRule: (input) => post('/api/v1/rules/test', input),
    exportRules: () => call({ method: 'GET', path: '/api/v1/rules/export' }),
    importRules: async (yaml) => JSON.parse(await call({ method: 'POST', path: '/api/v1/rules/import', body: yaml, contentType: 'text/yaml' })),
    listViolations: (filter, page = {}) =>
      json({
        method: 'GET',
        path: '/api/v1/violations',
        query: { ...violationQuery(filter), limit: page.limit === undefined ? undefined : String(page.limit), cursor: page.cursor },
      }),
    getViolation: (id) => json({ method: 'GET', path: `/api/v1/violations/${encodeURIComponent(id)}` }),
    violationStats: (filter, bucket) => json({ method: 'GET', path: '/api/v1/violations/stats', query: { ...violationQuery(filter), bucket } }),
    exportViolationsCsv: (filter) => call({ method: 'GET', path: '/api/v1/violations/export.csv', query: violationQuery(filter) }),
    listTraces: async (limit) =>
      (await json<{ items: TraceSummary[] }>({ method: 'GET', path: '/api/v1/traces', query: { limit: limit === undefined ? undefined : String(limit) } })).items,
    getTrace: (traceId) => json({ method: 'GET', path: `/api/v1/traces/${encodeURIComponent(traceId)}` }),
    openViolationStream: (lastEventId, signal) =>
      transport.openStream('/api/v1/violations/stream', lastEventId === undefined ? {} : { 'Last-Event-ID': lastEventId }, signal),
  };
}
