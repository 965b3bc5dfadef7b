import { type ViolationRecord, violationId } from '@betrace/store';
import { describe, expect, test } from 'vitest';
import { buildTestApi, type TestApi } from '../testing/test-api.ts';

const T0 = Date.UTC(2025, 0, 1);

function record(t: TestApi, o: Partial<ViolationRecord> & { ruleId: string; traceId: string }): ViolationRecord {
  const r: ViolationRecord = {
    id: violationId(o.ruleId, o.traceId, ''), ruleName: `Rule ${o.ruleId}`, ruleVersion: 1, severity: 'high', boundSpanId: '',
    trigger: [{ spanId: 'aaaaaaaaaaaaaaaa', name: 'payment.charge', service: 'payments', attributes: {} }],
    offending: [], reason: 'missing: fraud.check', detectedAt: T0, traceStart: T0 - 1000, signature: '', ...o,
  };
  r.signature = t.ctx.signer.sign(r);
  return r;
}

async function seeded(): Promise<{ t: TestApi; records: ViolationRecord[] }> {
  const t = await buildTestApi();
  const records = [
    record(t, { ruleId: 'fraud', traceId: 'a'.repeat(32), severity: 'critical', detectedAt: T0 + 1000 }),
    record(t, { ruleId: 'fraud', traceId: 'b'.repeat(32), severity: 'high', detectedAt: T0 + 2000 }),
    record(t, { ruleId: 'latency', traceId: 'c'.repeat(32), severity: 'low', detectedAt: T0 + 3000, trigger: [{ spanId: 'bbbbbbbbbbbbbbbb', name: 'GET /', service: 'web', attributes: {} }] }),
  ];
  await t.stores.violations.record(records);
  return { t, records };
}

describe('GET /api/v1/violations', () => {
  test('newest first, filters combine, pages follow nextCursor', async () => {
    const { t } = await seeded();
    const all = (await t.call('GET', '/api/v1/violations', { as: 'viewer' })).json() as { items: ViolationRecord[]; nextCursor: string | null };
    expect(all.items.map((v) => v.ruleId)).toEqual(['latency', 'fraud', 'fraud']);
    expect(all.nextCursor).toBeNull();
    const rows: [string, number][] = [
      ['ruleId=fraud', 2], ['severity=critical,low', 2], ['severity=HIGH', 1], ['service=web', 1], [`traceId=${'B'.repeat(32)}`, 1],
      ['q=LATENCY', 1], ['status=resolved', 0], [`from=${T0 + 2000}`, 2], [`to=${new Date(T0 + 2000).toISOString()}`, 1], ['ruleId=fraud&severity=critical', 1],
    ];
    for (const [query, want] of rows) {
      const r = await t.call('GET', `/api/v1/violations?${query}`, { as: 'viewer' });
      expect(r.statusCode, query).toBe(200);
      expect((r.json() as { items: unknown[] }).items.length, query).toBe(want);
    }
    const first = (await t.call('GET', '/api/v1/violations?limit=2')).json() as { items: ViolationRecord[]; nextCursor: string };
    expect(first.items).toHaveLength(2);
    const second = (await t.call('GET', `/api/v1/violations?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)).json() as { items: ViolationRecord[] };
    expect(second.items.map((v) => v.traceId)).toEqual(['a'.repeat(32)]);
  });

  test('bad filters and cursors: 400 saying what was expected', async () => {
    const { t } = await seeded();
    for (const query of ['severity=apocalyptic', 'from=yesterday', 'limit=0', 'limit=5000', 'cursor=garbage', 'traceId=xyz', 'unknown=1', 'status=maybe']) {
      const r = await t.call('GET', `/api/v1/violations?${query}`);
      expect(r.statusCode, query).toBe(400);
      expect(r.json(), query).toMatchObject({ error: { code: 'invalid_request' } });
    }
    expect((await t.call('GET', '/api/v1/violations', { as: null })).statusCode).toBe(401);
  });
});

describe('GET /api/v1/violations/:id', () => {
  test('the record with signatureValid; a tampered record is reported invalid', async () => {
    const { t, records } = await seeded();
    const r = await t.call('GET', `/api/v1/violations/${records[0]?.id}`, { as: 'viewer' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ id: records[0]?.id, ruleId: 'fraud', signatureValid: true, detectedAtIso: new Date(T0 + 1000).toISOString() });
    const tampered = { ...record(t, { ruleId: 'x', traceId: 'd'.repeat(32) }) };
    tampered.reason = 'nothing to see here';
    await t.stores.violations.record([tampered]);
    expect((await t.call('GET', `/api/v1/violations/${tampered.id}`)).json()).toMatchObject({ signatureValid: false });
  });

  test('unknown id 404; malformed id 400', async () => {
    const { t } = await seeded();
    expect((await t.call('GET', `/api/v1/violations/${'0'.repeat(32)}`)).statusCode).toBe(404);
    expect((await t.call('GET', '/api/v1/violations/..%2F..%2Fsecrets')).statusCode).toBe(400);
  });
});

describe('GET /api/v1/violations/stats', () => {
  test('counts by severity, rule and bucket over the window', async () => {
    const { t } = await seeded();
    const r = await t.call('GET', `/api/v1/violations/stats?from=${T0}&to=${T0 + 4000}&bucket=2s`, { as: 'viewer' });
    expect(r.statusCode).toBe(200);
    const body = r.json() as { total: number; bySeverity: Record<string, number>; byRule: { ruleId: string; count: number }[]; buckets: { start: number }[] };
    expect(body.total).toBe(3);
    expect(body.bySeverity).toMatchObject({ critical: 1, high: 1, low: 1 });
    expect(body.byRule[0]).toMatchObject({ ruleId: 'fraud', count: 2 });
    expect(body.buckets).toHaveLength(2);
    expect((await t.call('GET', `/api/v1/violations/stats?from=${T0}&to=${T0 + 4000}&bucket=2s&ruleId=latency`)).json()).toMatchObject({ total: 1 });
  });

  test('too many buckets, an empty window or a bad bucket: 400', async () => {
    const { t } = await seeded();
    for (const q of [`from=${T0}&to=${T0 + 86_400_000}&bucket=1ms`, `from=${T0}&to=${T0}`, 'bucket=soon']) {
      expect((await t.call('GET', `/api/v1/violations/stats?${q}`)).statusCode, q).toBe(400);
    }
  });
});

describe('GET /api/v1/violations/export.csv', () => {
  test('every page with a header; cells quoted; formula injection defused', async () => {
    const t = await buildTestApi();
    const many = Array.from({ length: 1205 }, (_, i) => record(t, { ruleId: 'bulk', traceId: i.toString(16).padStart(32, '0'), detectedAt: T0 + i }));
    const evil = record(t, {
      ruleId: 'evil', traceId: 'e'.repeat(32), detectedAt: T0 + 5000, ruleName: '=HYPERLINK("http://evil","x")', reason: 'line one\nline "two", three',
      trigger: [{ spanId: 'cccccccccccccccc', name: 'op', service: '@SUM(A1)', attributes: {} }],
    });
    await t.stores.violations.record([...many, evil]);
    const r = await t.call('GET', '/api/v1/violations/export.csv', { as: 'viewer' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/csv');
    expect(r.headers['content-disposition']).toContain('attachment');
    const lines = r.body.split('\r\n');
    expect(lines[0]).toBe('id,detected_at,rule_id,rule_name,severity,trace_id,services,reason,trigger_span_ids,offending_span_ids,resolved_at,signature');
    expect(r.body).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(r.body).toContain(`'@SUM(A1)`);
    expect(r.body).toContain('"line one\nline ""two"", three"');
    // header + 1206 records + trailing empty string (one record spans two physical lines)
    expect(lines.length).toBe(1 + 1206 + 1);
    expect(r.body.split('\r\n').filter((l) => l.includes(',bulk,')).length).toBe(1205);
  });

  test('the list filters apply; a bad filter is 400 before anything is streamed', async () => {
    const { t } = await seeded();
    const r = await t.call('GET', '/api/v1/violations/export.csv?ruleId=latency');
    expect(r.body.trim().split('\r\n')).toHaveLength(2);
    const bad = await t.call('GET', '/api/v1/violations/export.csv?severity=nope');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });
});
