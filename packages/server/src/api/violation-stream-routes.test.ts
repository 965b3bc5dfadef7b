import { connect } from 'node:net';
import { type ApiKeyRole, MemoryStores, type ViolationRecord, violationId } from '@betrace/store';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { createApiKey } from '../auth/api-keys.ts';
import { openSse, type ReadEvent, type SseReader } from '../testing/sse-reader.ts';
import { buildTestContext, type TestContext } from '../testing/test-context.ts';
import { buildApiApp } from './api-server.ts';
import type { ViolationStreamOptions } from './violation-stream-routes.ts';

const T0 = Date.UTC(2025, 0, 1);
const STREAM = '/api/v1/violations/stream';

interface Live extends TestContext {
  app: FastifyInstance;
  base: string;
  keys: Record<ApiKeyRole, string>;
  /** Stores a violation and announces it, as the recorder does. */
  record(o: Partial<ViolationRecord> & { ruleId: string; n: number }, announce?: boolean): Promise<ViolationRecord>;
  open(query?: string, headers?: Record<string, string>, as?: ApiKeyRole | null): Promise<SseReader>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function live(stream: ViolationStreamOptions = {}, stores?: MemoryStores): Promise<Live> {
  const t = await buildTestContext(stores ? { stores } : {});
  const keys = {} as Record<ApiKeyRole, string>;
  for (const role of ['viewer', 'editor', 'admin'] as const) {
    const created = await createApiKey(t.stores, { name: role, role }, 'test');
    if (!created.ok) throw new Error(created.error.message);
    keys[role] = created.value.secret;
  }
  const app = await buildApiApp(t.ctx, { stream });
  await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => app.close());
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const readers: SseReader[] = [];
  cleanups.push(() => readers.forEach((r) => r.close()));
  return {
    ...t, app, base, keys,
    async record(o, announce = true) {
      const traceId = o.n.toString(16).padStart(32, '0');
      const r: ViolationRecord = {
        id: violationId(o.ruleId, traceId, ''), ruleName: `Rule ${o.ruleId}`, ruleVersion: 1, severity: 'high', traceId, boundSpanId: '',
        trigger: [{ spanId: 'aaaaaaaaaaaaaaaa', name: 'payment.charge', service: 'payments', attributes: {} }],
        offending: [], reason: 'missing: fraud.check', detectedAt: T0 + o.n * 1000, traceStart: T0, signature: '', ...o,
      };
      delete (r as Partial<{ n: number }>).n;
      r.signature = t.ctx.signer.sign(r);
      await t.stores.violations.record([r]);
      if (announce) t.ctx.events.emit(r);
      return r;
    },
    async open(query = '', headers = {}, as = 'viewer') {
      const auth: Record<string, string> = as === null ? {} : { authorization: `Bearer ${keys[as]}` };
      const reader = await openSse(`${base}${STREAM}${query}`, { ...auth, ...headers });
      readers.push(reader);
      return reader;
    },
  };
}

const violations = (events: ReadEvent[]): ReadEvent[] => events.filter((e) => e.event === 'violation');
const traceIds = (events: ReadEvent[]): string[] => violations(events).map((e) => (JSON.parse(e.data) as ViolationRecord).traceId.replace(/^0+/, ''));
const connected = (r: SseReader): Promise<ReadEvent[]> => r.waitFor((es) => es.some((e) => e.event === 'comment' && e.data === 'connected'));

describe('GET /api/v1/violations/stream', () => {
  test('a new violation arrives as event: violation with its id and the record the API serves', async () => {
    const t = await live();
    const reader = await t.open();
    expect(reader.status).toBe(200);
    expect(reader.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await connected(reader);
    const r = await t.record({ ruleId: 'fraud', n: 1 });
    const [event] = violations(await reader.waitFor((es) => violations(es).length === 1));
    expect(event?.id).toBe(`${r.detectedAt}-${r.id}`);
    const served = await (await fetch(`${t.base}/api/v1/violations/${r.id}`, { headers: { authorization: `Bearer ${t.keys.viewer}` } })).json() as Record<string, unknown>;
    const { signatureValid, ...withoutCheck } = served;
    expect(signatureValid).toBe(true);
    expect(JSON.parse(event?.data ?? '')).toEqual(withoutCheck);
  });

  test('ruleId, severity and service filter on the server', async () => {
    const t = await live();
    const reader = await t.open('?ruleId=fraud&severity=critical,high&service=web');
    await connected(reader);
    const web = [{ spanId: 'bbbbbbbbbbbbbbbb', name: 'GET /', service: 'web', attributes: {} }];
    await t.record({ ruleId: 'fraud', n: 1, severity: 'high', trigger: web });
    await t.record({ ruleId: 'other', n: 2, severity: 'high', trigger: web });
    await t.record({ ruleId: 'fraud', n: 3, severity: 'low', trigger: web });
    await t.record({ ruleId: 'fraud', n: 4, severity: 'critical' });
    await t.record({ ruleId: 'fraud', n: 5, severity: 'critical', offending: web });
    await reader.waitFor((es) => violations(es).length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(traceIds(reader.events)).toEqual(['1', '5']);
    const bad = await t.open('?severity=apocalyptic');
    expect(bad.status).toBe(400);
    expect(JSON.parse(await bad.body())).toMatchObject({ error: { code: 'invalid_request' } });
  });

  test('Last-Event-ID replays exactly what was missed, oldest first, then goes on live', async () => {
    const t = await live();
    const stored = [];
    for (let n = 1; n <= 5; n++) stored.push(await t.record({ ruleId: n % 2 === 0 ? 'even' : 'odd', n }, false));
    // Same detectedAt as the resume point: the id decides, as in the store's order.
    const twin = await t.record({ ruleId: 'twin', n: 2, detectedAt: stored[1]?.detectedAt ?? 0 }, false);
    const from = `${stored[1]?.detectedAt}-${stored[1]?.id}`;
    const expected = [...(twin.id > (stored[1]?.id ?? '') ? ['2'] : []), '3', '4', '5'];

    const byHeader = await t.open('', { 'last-event-id': from });
    await byHeader.waitFor((es) => violations(es).length === expected.length);
    expect(traceIds(byHeader.events)).toEqual(expected);
    await t.record({ ruleId: 'odd', n: 7 });
    await byHeader.waitFor((es) => violations(es).length === expected.length + 1);
    expect(traceIds(byHeader.events)).toEqual([...expected, '7']);

    const byQuery = await t.open(`?ruleId=even&lastEventId=${from}`);
    await byQuery.waitFor((es) => violations(es).length === 1);
    await t.record({ ruleId: 'even', n: 8 });
    await byQuery.waitFor((es) => violations(es).length === 2);
    expect(traceIds(byQuery.events)).toEqual(['4', '8']);
  });

  test('a violation stored before the replay read it but announced after is sent once', async () => {
    const t = await live();
    const first = await t.record({ ruleId: 'a', n: 1 }, false);
    const late = await t.record({ ruleId: 'a', n: 2 }, false);
    const reader = await t.open('', { 'last-event-id': `${first.detectedAt}-${first.id}` });
    await reader.waitFor((es) => violations(es).length === 1);
    t.ctx.events.emit(late);
    await t.record({ ruleId: 'a', n: 3 });
    await reader.waitFor((es) => violations(es).length >= 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(traceIds(reader.events)).toEqual(['2', '3']);
  });

  test('violations recorded while the replay reads are held and sent after it, each once', async () => {
    const stores = new MemoryStores();
    const list = stores.violations.list.bind(stores.violations);
    let release = (): void => {};
    const gate = new Promise<void>((r) => (release = r));
    let listing = (): void => {};
    const listed = new Promise<void>((r) => (listing = r));
    stores.violations.list = async (q) => {
      const page = await list(q);
      listing();
      await gate;
      return page;
    };
    const t = await live({}, stores);
    const first = await t.record({ ruleId: 'a', n: 1 }, false);
    await t.record({ ruleId: 'a', n: 2 }, false);
    const reader = await t.open('', { 'last-event-id': `${first.detectedAt}-${first.id}` });
    await listed;
    // Stored after the replay's read (only live), and one the replay already has (announced late).
    await t.record({ ruleId: 'a', n: 3 });
    t.ctx.events.emit((await stores.violations.get(violationId('a', (2).toString(16).padStart(32, '0'), '')))!);
    await new Promise((r) => setTimeout(r, 30));
    expect(violations(reader.events)).toEqual([]);
    release();
    await reader.waitFor((es) => violations(es).length === 2);
    await t.record({ ruleId: 'a', n: 4 });
    await reader.waitFor((es) => violations(es).length === 3);
    await new Promise((r) => setTimeout(r, 30));
    expect(traceIds(reader.events)).toEqual(['2', '3', '4']);
  });

  test('a replay over the cap sends the oldest missed ones and ends; the next connection continues', async () => {
    const t = await live({ maxReplay: 2 });
    const stored = [];
    for (let n = 1; n <= 5; n++) stored.push(await t.record({ ruleId: 'r', n }, false));
    const first = await t.open('', { 'last-event-id': `${stored[0]?.detectedAt}-${stored[0]?.id}` });
    await first.ended;
    expect(traceIds(first.events)).toEqual(['2', '3']);
    const next = await t.open('', { 'last-event-id': violations(first.events).at(-1)?.id ?? '' });
    await next.waitFor((es) => violations(es).length === 2);
    expect(traceIds(next.events)).toEqual(['4', '5']);
  });

  test('a malformed Last-Event-ID is 400 with what was expected', async () => {
    const t = await live();
    const reader = await t.open('', { 'last-event-id': 'yesterday' });
    expect(reader.status).toBe(400);
    expect(JSON.parse(await reader.body())).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('<detectedAt>-<violation id>') } });
  });

  test('a heartbeat comment keeps an idle stream alive', async () => {
    const t = await live({ heartbeatMs: 30 });
    const reader = await t.open();
    await reader.waitFor((es) => es.filter((e) => e.event === 'comment' && e.data === 'heartbeat').length >= 2, 2000);
  });

  test('auth: 401 without a key; the key as ?access_token= works and is never logged', async () => {
    const t = await live();
    const anonymous = await t.open('', {}, null);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(await anonymous.body())).toMatchObject({ error: { code: 'unauthenticated' } });
    const wrong = await t.open('?access_token=btk_wrong', {}, null);
    expect(wrong.status).toBe(401);
    const byQuery = await t.open(`?access_token=${t.keys.viewer}`, {}, null);
    expect(byQuery.status).toBe(200);
    await connected(byQuery);
    await t.record({ ruleId: 'a', n: 1 });
    await byQuery.waitFor((es) => violations(es).length === 1);
    // Only this endpoint reads the key from the query.
    const list = await fetch(`${t.base}/api/v1/violations?access_token=${t.keys.viewer}`);
    expect(list.status).toBe(401);
    expect(JSON.stringify(t.logs)).not.toContain(t.keys.viewer);
  });

  test('the listener goes away when the client disconnects, and when the server closes', async () => {
    const t = await live();
    expect(t.ctx.events.size).toBe(0);
    const a = await t.open();
    const b = await t.open();
    await connected(a);
    await connected(b);
    expect(t.ctx.events.size).toBe(2);
    expect(await t.ctx.metrics.registry.metrics()).toContain('betrace_violation_streams 2');
    a.close();
    await expect.poll(() => t.ctx.events.size).toBe(1);
    await t.app.close();
    await b.ended;
    expect(t.ctx.events.size).toBe(0);
  });

  test('clients that leave before or while the stream opens leave no listener behind', async () => {
    const t = await live();
    const { port } = new URL(t.base);
    await Promise.all(Array.from({ length: 20 }, (_, i) => new Promise<void>((done) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`GET ${STREAM} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.keys.viewer}\r\n\r\n`);
        setTimeout(() => socket.destroy(), i % 4);
        done();
      });
    })));
    await new Promise((r) => setTimeout(r, 200));
    await expect.poll(() => t.ctx.events.size).toBe(0);
    expect(await t.ctx.metrics.registry.metrics()).toContain('betrace_violation_streams 0');
  });

  test('a client that reads too slowly gets event: overflow and is disconnected', async () => {
    const t = await live({ maxBufferedBytes: 16 * 1024 });
    const reader = await t.open();
    await connected(reader);
    reader.pause();
    const big = { 'payment.note': 'x'.repeat(4000) };
    for (let n = 1; n <= 3000 && t.ctx.events.size > 0; n++) {
      await t.record({ ruleId: 'flood', n, trigger: [{ spanId: 'aaaaaaaaaaaaaaaa', name: 'payment.charge', service: 'payments', attributes: big }] });
    }
    expect(t.ctx.events.size).toBe(0);
    reader.resume();
    await reader.ended;
    expect(reader.events.at(-1)?.event).toBe('overflow');
    expect(t.logs.some((l) => String(l['msg']).includes('read too slowly'))).toBe(true);
    const metrics = await t.ctx.metrics.registry.metrics();
    expect(metrics).toContain('betrace_violation_stream_overflows_total 1');
    expect(metrics).toContain('betrace_violation_streams 0');
  });

  test('the OpenAPI document describes the stream and its access_token parameter', async () => {
    const t = await live();
    const doc = await (await fetch(`${t.base}/api/v1/openapi.json`)).json() as { paths: Record<string, { get?: { parameters?: { name: string }[]; responses: Record<string, { content?: Record<string, unknown> }> } }> };
    const op = doc.paths['/api/v1/violations/stream']?.get;
    expect(op?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['ruleId', 'severity', 'service', 'lastEventId', 'access_token']));
    expect(Object.keys(op?.responses['200']?.content ?? {})).toEqual(['text/event-stream']);
  });
});
