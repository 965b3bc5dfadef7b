import { createFetchTransport } from './fetch-transport';

function fakeFetch(status: number, body = '{}') {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const impl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return { status, text: async () => body, body: null } as unknown as Response;
  }) as unknown as typeof fetch;
  return { impl, calls };
}

describe('createFetchTransport (the console)', () => {
  test('sends the key from the login as a bearer token, same origin', async () => {
    const { impl, calls } = fakeFetch(200);
    const t = createFetchTransport({ apiKey: () => 'btk_secret', fetchImpl: impl });
    await t.send({ method: 'POST', path: '/api/v1/rules/test', body: '{}', contentType: 'application/json', query: { a: '1', b: undefined } });
    expect(calls[0]?.url).toBe('/api/v1/rules/test?a=1');
    expect(calls[0]?.init.headers).toMatchObject({ Authorization: 'Bearer btk_secret', 'Content-Type': 'application/json' });
  });

  test('without a key (a --auth none server) no Authorization header is sent', async () => {
    const { impl, calls } = fakeFetch(200);
    await createFetchTransport({ apiKey: () => undefined, fetchImpl: impl }).send({ method: 'GET', path: '/api/v1/me' });
    expect(calls[0]?.init.headers).not.toHaveProperty('Authorization');
  });

  test('a 401 tells the shell to go back to the login', async () => {
    const { impl } = fakeFetch(401, '{"error":{"code":"unauthenticated","message":"no key","requestId":"r"}}');
    const onUnauthenticated = jest.fn();
    const r = await createFetchTransport({ apiKey: () => 'old', fetchImpl: impl, onUnauthenticated }).send({ method: 'GET', path: '/api/v1/rules' });
    expect(r.status).toBe(401);
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  test('a network failure is status 0 with the reason, not a thrown error', async () => {
    const impl = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    const r = await createFetchTransport({ apiKey: () => 'k', fetchImpl: impl }).send({ method: 'GET', path: '/api/v1/me' });
    expect(r).toEqual({ status: 0, text: 'cannot reach BeTrace: Failed to fetch' });
  });
});
