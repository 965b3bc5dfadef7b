// BeTrace keeps what it promised across a restart on the same data directory, and SIGTERM evaluates
// the traces it still buffers before it exits.
import { type AddressInfo, createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient, type ViolationView } from './support/api-client.ts';
import { startBetrace, stopAll, tempDataDir } from './support/betrace-process.ts';
import { TestService } from './support/otel-sdk.ts';
import { pollUntil } from './support/poll.ts';

const RULE_ID = 'refund-needs-approval';

afterAll(stopAll, 40_000);

/** Sends a trace holding only a `refund` root span; returns its trace id. */
async function sendRefund(ports: { otlpGrpc: number; otlpHttp: number }): Promise<string> {
  const service = new TestService('payments', 'http_protobuf', ports);
  const span = service.tracer.startSpan('refund', { attributes: { amount: 250 } });
  span.end();
  await service.flush();
  await service.shutdown();
  return span.spanContext().traceId;
}

async function violationsOf(api: ApiClient, traceId: string): Promise<ViolationView[]> {
  const page = await api.get<{ items: ViolationView[] }>(`/api/v1/violations?traceId=${traceId}`);
  return page.body.items;
}

describe('restart on the same data directory', () => {
  it('keeps rules, violations, audit entries and the signing key, and evaluates buffered traces on SIGTERM', async () => {
    const dataDir = tempDataDir();

    // first run: a rule (created, then changed), and one violation found the usual way
    const first = await startBetrace(dataDir, ['--quiet-period', '300ms', '--idle-timeout', '1s']);
    const key = first.adminKey;
    expect(key).toBeDefined();
    const api1 = new ApiClient(first.apiUrl, key);
    expect((await api1.post('/api/v1/rules', { id: RULE_ID, name: 'Refunds need approval', severity: 'high', condition: 'when { refund } always { approval }' })).status).toBe(201);
    const changed = await api1.call('PUT', `/api/v1/rules/${RULE_ID}`, { description: 'Finance policy 4.2', version: 1 });
    expect(changed).toMatchObject({ status: 200, body: { version: 2 } });
    const before = await sendRefund(first.ports);
    const [found] = await pollUntil('the first violation', async () => {
      const v = await violationsOf(api1, before);
      return v.length > 0 ? v : undefined;
    });
    expect(await first.stop()).toBe(0);

    // second run: everything is back; the admin key is not printed again and still works
    const second = await startBetrace(dataDir, ['--quiet-period', '1m', '--idle-timeout', '1m']);
    expect(second.adminKey).toBeUndefined();
    const api2 = new ApiClient(second.apiUrl, key);
    expect(await api2.get(`/api/v1/rules/${RULE_ID}`)).toMatchObject({
      status: 200, body: { id: RULE_ID, version: 2, description: 'Finance policy 4.2', condition: 'when { refund } always { approval }' },
    });
    expect(await api2.get(`/api/v1/violations/${found?.id}`)).toMatchObject({
      status: 200, body: { id: found?.id, traceId: before, ruleId: RULE_ID, signatureValid: true },
    });
    const audit = await api2.get<{ items: { action: string; target: string; actor: string }[] }>('/api/v1/audit');
    expect(audit.body.items.map((e) => `${e.action} ${e.target}`)).toEqual(expect.arrayContaining([
      `rule.create ${RULE_ID}`, `rule.update ${RULE_ID}`, expect.stringMatching(/^key\.create key_/),
    ]));

    // a trace that cannot complete before shutdown (quiet period 1m): SIGTERM must evaluate it
    const buffered = await sendRefund(second.ports);
    expect(await violationsOf(api2, buffered)).toEqual([]);
    expect(await second.stop()).toBe(0);
    expect(second.output.some((line) => line.includes('"msg":"stopped"'))).toBe(true);

    const third = await startBetrace(dataDir, []);
    const api3 = new ApiClient(third.apiUrl, key);
    const [drained] = await violationsOf(api3, buffered);
    expect(drained).toMatchObject({ ruleId: RULE_ID, traceId: buffered, reason: 'missing: approval' });
    expect(await api3.get(`/api/v1/violations/${drained?.id}`)).toMatchObject({ body: { signatureValid: true } });
    expect(await third.stop()).toBe(0);
  }, 50_000);

  it('with worker threads, SIGTERM evaluates the traces the workers still buffer', async () => {
    const dataDir = tempDataDir();
    const first = await startBetrace(dataDir, ['--auth', 'none', '--quiet-period', '1m', '--idle-timeout', '1m', '--workers', '2']);
    const api1 = new ApiClient(first.apiUrl);
    expect((await api1.post('/api/v1/rules', { id: RULE_ID, name: 'Refunds need approval', severity: 'high', condition: 'when { refund } always { approval }' })).status).toBe(201);
    // several traces, so both shards hold some
    const buffered = await Promise.all([1, 2, 3, 4, 5, 6].map(() => sendRefund(first.ports)));
    expect((await api1.get<{ buffered: { traces: number } }>('/api/v1/status')).body.buffered.traces).toBe(buffered.length);
    expect(await first.stop()).toBe(0);

    const second = await startBetrace(dataDir, ['--auth', 'none']);
    const api2 = new ApiClient(second.apiUrl);
    for (const traceId of buffered) {
      const [drained] = await violationsOf(api2, traceId);
      expect(drained, traceId).toMatchObject({ ruleId: RULE_ID, traceId, reason: 'missing: approval' });
    }
    expect(await second.stop()).toBe(0);
  }, 50_000);

  it('a signal repeated during shutdown (Ctrl-C under npm arrives twice) does not cut it short', async () => {
    // an export endpoint that never answers keeps the shutdown busy for a few seconds (it tries to
    // deliver the last violation spans), so the repeated signal lands in the middle of it
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1/traces`;
    try {
      const dataDir = tempDataDir();
      const first = await startBetrace(dataDir, ['--auth', 'none', '--quiet-period', '1m', '--idle-timeout', '1m', '--export-endpoint', endpoint]);
      const api1 = new ApiClient(first.apiUrl);
      expect((await api1.post('/api/v1/rules', { id: RULE_ID, name: 'Refunds need approval', severity: 'high', condition: 'when { refund } always { approval }' })).status).toBe(201);
      const buffered = await sendRefund(first.ports);
      first.signal('SIGINT');
      await pollUntil('the shutdown under way', async () => (first.output.some((l) => l.includes('shutting down')) ? true : undefined));
      await new Promise((r) => setTimeout(r, 200));
      first.signal('SIGINT');
      expect(await first.stop()).toBe(0);
      expect(first.output.some((line) => line.includes('"msg":"stopped"'))).toBe(true);

      const second = await startBetrace(dataDir, ['--auth', 'none']);
      const [drained] = await violationsOf(new ApiClient(second.apiUrl), buffered);
      expect(drained).toMatchObject({ ruleId: RULE_ID, traceId: buffered, reason: 'missing: approval' });
      expect(await second.stop()).toBe(0);
    } finally {
      silent.close();
    }
  }, 50_000);
});
