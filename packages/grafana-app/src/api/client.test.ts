import { ApiError, createBetraceApi, type ApiRequest, type ApiResponse, type Transport } from './client';

function recording(responses: ApiResponse[]): { transport: Transport; sent: ApiRequest[] } {
  const sent: ApiRequest[] = [];
  const transport: Transport = {
    send: async (r) => {
      sent.push(r);
      return responses.shift() ?? { status: 200, text: '{}' };
    },
    openStream: async () => ({ status: 200, chunks: (async function* () {})() }),
  };
  return { transport, sent };
}

describe('createBetraceApi', () => {
  test('violation filters become the query the list, stats and CSV export share', async () => {
    const { transport, sent } = recording([
      { status: 200, text: '{"items":[],"nextCursor":null}' },
      { status: 200, text: 'id,detected_at\r\n' },
    ]);
    const api = createBetraceApi(transport);
    const filter = { ruleId: 'r1', severity: ['critical', 'high'] as const, service: ' payments ', traceId: '', q: 'fraud', from: 1000.7, to: 2000 };
    await api.listViolations({ ...filter, severity: [...filter.severity] }, { limit: 50, cursor: 'c1' });
    const csv = await api.exportViolationsCsv({ ...filter, severity: [...filter.severity] });
    expect(csv).toBe('id,detected_at\r\n');
    const want = { ruleId: 'r1', severity: 'critical,high', service: 'payments', traceId: undefined, q: 'fraud', from: '1000', to: '2000' };
    expect(sent[0]).toMatchObject({ method: 'GET', path: '/api/v1/violations', query: { ...want, limit: '50', cursor: 'c1' } });
    expect(sent[1]).toMatchObject({ method: 'GET', path: '/api/v1/violations/export.csv', query: want });
  });

  test('an error envelope becomes an ApiError with code, message and request id', async () => {
    const envelope = { error: { code: 'conflict', message: 'rule r1 is at version 3', requestId: 'req-1' } };
    const { transport } = recording([{ status: 409, text: JSON.stringify(envelope) }]);
    const err = await createBetraceApi(transport).updateRule('r1', { name: 'x', version: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: 'conflict', message: 'rule r1 is at version 3', requestId: 'req-1' });
  });

  test('a non-JSON error (a proxy page) keeps the status and a readable excerpt', async () => {
    const { transport } = recording([{ status: 502, text: '<html><body><h1>Bad Gateway</h1></body></html>' }]);
    const err = await createBetraceApi(transport).status().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, code: 'http_502', message: 'HTTP 502: Bad Gateway' });
  });

  test('delete sends the edited version as If-Match; enable and disable send it in the body', async () => {
    const { transport, sent } = recording([]);
    const api = createBetraceApi(transport);
    await api.deleteRule('r.1', 4);
    await api.setRuleEnabled('r.1', false, 4);
    expect(sent[0]).toMatchObject({ method: 'DELETE', path: '/api/v1/rules/r.1', headers: { 'If-Match': '"4"' } });
    expect(sent[1]).toMatchObject({ method: 'POST', path: '/api/v1/rules/r.1/disable', body: '{"version":4}' });
  });

  test('rule packs are sent as YAML', async () => {
    const { transport, sent } = recording([{ status: 200, text: '{"rules":[],"problems":[],"counts":{}}' }]);
    await createBetraceApi(transport).importRules('rules: []\n');
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/api/v1/rules/import', contentType: 'text/yaml', body: 'rules: []\n' });
  });

  test('the stream resumes with Last-Event-ID', async () => {
    const opened: Array<Record<string, string>> = [];
    const transport: Transport = {
      send: async () => ({ status: 200, text: '{}' }),
      openStream: async (_path, headers) => {
        opened.push(headers);
        return { status: 200, chunks: (async function* () {})() };
      },
    };
    const api = createBetraceApi(transport);
    await api.openViolationStream(undefined, new AbortController().signal);
    await api.openViolationStream('17-abc', new AbortController().signal);
    expect(opened).toEqual([{}, { 'Last-Event-ID': '17-abc' }]);
  });
});
