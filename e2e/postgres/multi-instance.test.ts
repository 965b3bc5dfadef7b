// Several BeTrace instances on one PostgreSQL behind a trace-id load balancer (the standard
// deployment in deploy/multi-instance): the union of their violations is what one instance finds,
// rule changes reach every instance within a second and are audited once, a failover re-send does
// not duplicate, and a PostgreSQL outage turns into back-pressure, then into recorded violations.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, startTestCluster, TEST_POSTGRES_URL } from '@betrace/store/postgres-testing';
import type { TestCluster, TestDatabase } from '@betrace/store/postgres-testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient, type ViolationView } from '../support/api-client.ts';
import { type BetraceProcess, startBetrace, stopAll, tempDataDir } from '../support/betrace-process.ts';
import { pollUntil } from '../support/poll.ts';
import { backendFor, type RoutedSpan, route, sendSpans } from './trace-router.ts';

// Needs PostgreSQL: `export BETRACE_TEST_POSTGRES_URL=$(scripts/postgres.sh start)`; .ci/run sets it.
if (!TEST_POSTGRES_URL) console.log('skipping the multi-instance e2e tests: BETRACE_TEST_POSTGRES_URL is not set (see scripts/postgres.sh)');

// Instances of one deployment share the signing key, so any instance can verify any signature.
const SIGNING_KEY = 'e2e-shared-signing-key-0123456789';
const FAST = ['--auth', 'none', '--signing-key', SIGNING_KEY, '--quiet-period', '200ms', '--idle-timeout', '500ms'];
const RULES = [
  { id: 'checkout-pays', name: 'Checkout is paid', severity: 'high', condition: 'when { checkout } always { payment }' },
  { id: 'no-debug', name: 'No debug calls', severity: 'low', condition: 'never { debug.dump }' },
];

const databases: TestDatabase[] = [];
let cluster: TestCluster | undefined;
afterAll(async () => {
  await stopAll();
  for (const db of databases) await db.drop();
  cluster?.destroy();
}, 60_000);

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase(TEST_POSTGRES_URL!, 'betrace_e2e');
  databases.push(db);
  return db;
}

function start(store: string, extra: string[] = []): Promise<BetraceProcess> {
  return startBetrace(tempDataDir(), ['--store', store, ...FAST, ...extra]);
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** A trace: checkout root, sometimes a payment, sometimes a debug.dump; spans in arrival order. */
function traffic(traces: number): RoutedSpan[] {
  const spans: RoutedSpan[] = [];
  for (let i = 0; i < traces; i++) {
    const traceId = hex(16);
    const root = hex(8);
    spans.push({ traceId, spanId: root, name: 'checkout', service: 'frontend' });
    if (i % 3 !== 0) spans.push({ traceId, spanId: hex(8), parentSpanId: root, name: 'payment', service: 'payments' });
    if (i % 4 === 0) spans.push({ traceId, spanId: hex(8), parentSpanId: root, name: 'debug.dump', service: 'cart' });
  }
  return spans;
}

async function allViolations(api: ApiClient): Promise<ViolationView[]> {
  const items: ViolationView[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<{ items: ViolationView[]; nextCursor?: string }>(`/api/v1/violations?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

const keyOf = (v: ViolationView): string => `${v.ruleId} ${v.traceId}`;

async function createRules(api: ApiClient): Promise<void> {
  for (const rule of RULES) expect((await api.post('/api/v1/rules', rule)).status).toBe(201);
}

async function activeRules(api: ApiClient): Promise<number> {
  return (await api.get<{ rules: { active: number } }>('/api/v1/status')).body.rules.active;
}

describe.skipIf(!TEST_POSTGRES_URL)('two instances on one PostgreSQL', () => {
  it('find together exactly what one instance finds; rule changes propagate within a second, audited once; failover does not duplicate', { timeout: 120_000 }, async () => {
    const shared = await database();
    const [a, b] = await Promise.all([start(shared.url), start(shared.url)]);
    const apiA = new ApiClient(a.apiUrl);
    const apiB = new ApiClient(b.apiUrl);

    // A rule created on A is active on B within a second (LISTEN/NOTIFY), without restart.
    const created = Date.now();
    await createRules(apiA);
    await pollUntil('B to run the rules created on A', async () => ((await activeRules(apiB)) === RULES.length ? true : undefined), 1_000);
    expect(Date.now() - created).toBeLessThan(1_000 + 500);
    // ...and B evaluates with it: a violating trace sent to B alone is found.
    const probe = hex(16);
    expect(await sendSpans(b.ports.otlpHttp, [{ traceId: probe, spanId: hex(8), name: 'checkout', service: 'frontend' }])).toBe(200);
    await pollUntil('B to record the probe violation', async () => {
      const items = (await apiB.get<{ items: ViolationView[] }>(`/api/v1/violations?traceId=${probe}`)).body.items;
      return items.length === 1 ? true : undefined;
    });
    // The change was made once, so it is audited once (B's reload writes nothing).
    for (const rule of RULES) {
      const audit = await apiB.get<{ items: { action: string }[] }>(`/api/v1/audit?target=${rule.id}`);
      expect(audit.body.items.map((e) => e.action)).toEqual(['rule.create']);
    }

    // The same traffic through the router to A and B, and to one instance on a fresh database.
    const spans = traffic(60);
    const routedTo = new Set(spans.map((s) => backendFor(s.traceId, 2)));
    expect(routedTo).toEqual(new Set([0, 1])); // both instances get traces
    const single = await start((await database()).url);
    const apiSingle = new ApiClient(single.apiUrl);
    await createRules(apiSingle);
    await Promise.all([route([a.ports.otlpHttp, b.ports.otlpHttp], spans), route([single.ports.otlpHttp], spans)]);

    const expected = 60 - 40 + 15 + 1; // unpaid checkouts (i % 3 == 0) + debug dumps (i % 4 == 0) + the probe
    const union = await pollUntil('both instances to record every violation', async () => {
      const items = await allViolations(apiA);
      return items.length >= expected ? items : undefined;
    });
    const alone = await pollUntil('the single instance to record every violation', async () => {
      const items = await allViolations(apiSingle);
      return items.length >= expected - 1 ? items : undefined;
    });
    const unionKeys = union.filter((v) => v.traceId !== probe).map(keyOf).sort();
    expect(new Set(unionKeys).size).toBe(unionKeys.length); // no duplicates
    expect(unionKeys).toEqual(alone.map(keyOf).sort());
    // Both instances read the same store.
    expect((await allViolations(apiB)).map(keyOf).sort()).toEqual(union.map(keyOf).sort());

    // Failover: part of a trace reaches A, A stops (and evaluates what it buffered on SIGTERM), the
    // sender re-sends the whole trace to B. The violation is the same row, not a second one.
    const traceId = hex(16);
    const root = { traceId, spanId: hex(8), name: 'checkout', service: 'frontend' };
    const debug = { traceId, spanId: hex(8), parentSpanId: root.spanId, name: 'debug.dump', service: 'cart' };
    expect(await sendSpans(a.ports.otlpHttp, [root])).toBe(200);
    expect(await a.stop()).toBe(0);
    expect(await sendSpans(b.ports.otlpHttp, [root, debug])).toBe(200);
    const found = await pollUntil('B to evaluate the re-sent trace', async () => {
      const items = (await apiB.get<{ items: ViolationView[] }>(`/api/v1/violations?traceId=${traceId}`)).body.items;
      return items.length === 2 ? items : undefined;
    });
    expect(found.map((v) => v.ruleId).sort()).toEqual(['checkout-pays', 'no-debug']);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await apiB.get<{ items: ViolationView[] }>(`/api/v1/violations?traceId=${traceId}`)).body.items).toHaveLength(2);
  });
});

describe.skipIf(!TEST_POSTGRES_URL)('PostgreSQL outage', () => {
  it('buffers, answers 429 when full, reports the store unavailable, and records everything once PostgreSQL is back', { timeout: 120_000 }, async () => {
    // A cluster of its own: stopping the shared test server would break every other test.
    cluster = startTestCluster();
    const config = join(tempDataDir(), 'betrace.yaml');
    writeFileSync(config, 'limits:\n  maxPendingViolations: 5\n');
    const node = await start(cluster.url, ['--config', config]);
    const api = new ApiClient(node.apiUrl);
    expect((await api.post('/api/v1/rules', RULES[0])).status).toBe(201);
    expect((await api.get('/readyz')).status).toBe(200);

    cluster.stop();
    const ready = await pollUntil('/readyz to report the store unavailable', async () => {
      const r = await api.get<{ error: { details?: { store?: string } } }>('/readyz');
      return r.status === 503 ? r.body : undefined;
    });
    expect(JSON.stringify(ready)).toContain('unavailable');

    // Violating traces, one per request, until BeTrace pushes back.
    const accepted: string[] = [];
    let refused = 0;
    for (let i = 0; i < 200 && refused === 0; i++) {
      const traceId = hex(16);
      const status = await sendSpans(node.ports.otlpHttp, [{ traceId, spanId: hex(8), name: 'checkout', service: 'frontend' }]);
      if (status === 200) accepted.push(traceId);
      else if (status === 429) refused++;
      else throw new Error(`unexpected OTLP status ${status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(refused).toBe(1);
    expect(accepted.length).toBeGreaterThanOrEqual(5);

    cluster.start();
    await pollUntil('/readyz to be ready again', async () => ((await api.get('/readyz')).status === 200 ? true : undefined), 30_000);
    const recorded = await pollUntil('every accepted trace to be recorded', async () => {
      const items = await allViolations(api);
      return items.length >= accepted.length ? items : undefined;
    }, 30_000);
    expect(recorded.map((v) => v.traceId).sort()).toEqual([...accepted].sort());
    // Accepting again.
    expect(await sendSpans(node.ports.otlpHttp, [{ traceId: hex(16), spanId: hex(8), name: 'checkout', service: 'frontend' }])).toBe(200);
  });
});
