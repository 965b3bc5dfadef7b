import { decodeJsonTraces } from '@betrace/otlp';
import { readRuleFile } from '@betrace/rulepack';
import { describe, expect, test } from 'vitest';
import { TRACE_ID, otlpJson } from '../testing/otlp-json.ts';
import { buildTestApi } from '../testing/test-api.ts';
import { localShard } from '../testing/test-context.ts';

const CONDITION = 'when { payment.charge } always { fraud.check }';
const UNCHECKED = otlpJson([
  { spanId: '1111111111111111', name: 'POST /checkout', service: 'gateway' },
  { spanId: '2222222222222222', parentSpanId: '1111111111111111', name: 'payment.charge', service: 'payments', startMs: 5 },
]);
const CHECKED = otlpJson([
  { spanId: '1111111111111111', name: 'POST /checkout', service: 'gateway' },
  { spanId: '3333333333333333', parentSpanId: '1111111111111111', name: 'fraud.check', service: 'fraud', startMs: 1 },
  { spanId: '2222222222222222', parentSpanId: '1111111111111111', name: 'payment.charge', service: 'payments', startMs: 5 },
]);

describe('POST /api/v1/rules/validate', () => {
  test('a good condition: ok, canonical text and what it reads', async () => {
    const t = await buildTestApi();
    const r = await t.call('POST', '/api/v1/rules/validate', { as: 'viewer', body: { condition: 'when {payment.charge}   always {fraud.check}' } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ ok: true, diagnostics: [], canonical: expect.stringContaining('always'), reads: { spanNames: ['fraud.check', 'payment.charge'] } });
  });

  test('a bad condition: diagnostics with UTF-16 and byte ranges (they differ after non-ASCII text)', async () => {
    const t = await buildTestApi();
    const condition = 'when { a.where(x == "日本") }\nalway { b }';
    const r = await t.call('POST', '/api/v1/rules/validate', { as: 'viewer', body: { condition } });
    const body = r.json() as { ok: boolean; canonical: unknown; diagnostics: { code: string; range: { start: number; end: number }; byteRange: { start: number; end: number }; start: { line: number; column: number } }[] };
    expect(body.ok).toBe(false);
    expect(body.canonical).toBeNull();
    const d = body.diagnostics[0];
    expect(d?.code).toBe('unknown_block');
    expect(condition.slice(d?.range.start, d?.range.end)).toBe('alway');
    expect(Buffer.from(condition).subarray(d?.byteRange.start, d?.byteRange.end).toString()).toBe('alway');
    expect(d?.byteRange.start).toBe((d?.range.start ?? 0) + 4);
    expect(d?.start).toEqual({ line: 2, column: 1 });
  });

  test('stores nothing and needs a key', async () => {
    const t = await buildTestApi();
    expect((await t.call('POST', '/api/v1/rules/validate', { as: null, body: { condition: CONDITION } })).statusCode).toBe(401);
    expect((await t.call('POST', '/api/v1/rules/validate', { body: {} })).statusCode).toBe(400);
  });
});

describe('POST /api/v1/rules/test', () => {
  test('pasted OTLP/JSON: violation with witness spans, pass when the check ran; nothing stored', async () => {
    const t = await buildTestApi();
    const bad = await t.call('POST', '/api/v1/rules/test', { as: 'viewer', body: { condition: CONDITION, trace: UNCHECKED } });
    expect(bad.statusCode).toBe(200);
    expect(bad.json()).toMatchObject({
      verdict: 'violation', traces: 1, spans: 2,
      violations: [{ traceId: TRACE_ID, trigger: [{ spanId: '2222222222222222', name: 'payment.charge', service: 'payments' }], reason: expect.stringContaining('missing') }],
    });
    const good = await t.call('POST', '/api/v1/rules/test', { as: 'viewer', body: { condition: CONDITION, trace: CHECKED } });
    expect(good.json()).toMatchObject({ verdict: 'pass', violations: [] });
    const stored = await t.stores.violations.list({});
    expect(stored.ok && stored.value.items).toEqual([]);
    expect(await t.stores.rules.list()).toEqual([]);
  });

  test('a stored rule against a recently completed trace by id', async () => {
    const t = await buildTestApi();
    await t.call('POST', '/api/v1/rules', { body: { id: 'r', name: 'R', severity: 'high', condition: CONDITION } });
    localShard(t.ctx).pipeline.ingest(decodeJsonTraces(UNCHECKED).spans);
    localShard(t.ctx).pipeline.drain();
    const r = await t.call('POST', '/api/v1/rules/test', { as: 'viewer', body: { ruleId: 'r', traceId: TRACE_ID.toUpperCase() } });
    expect(r.json()).toMatchObject({ verdict: 'violation', violations: [{ traceId: TRACE_ID }] });
  });

  test('errors: unknown rule 404, trace no longer kept 404, bad condition 400, undecodable trace 400, both/neither 400', async () => {
    const t = await buildTestApi();
    const cases: [unknown, number, string?][] = [
      [{ ruleId: 'missing', trace: UNCHECKED }, 404],
      [{ condition: CONDITION, traceId: 'a'.repeat(32) }, 404, 'recently completed'],
      [{ condition: 'when {', trace: UNCHECKED }, 400, 'error'],
      [{ condition: CONDITION, trace: { resourceSpans: 'nope' } }, 400, 'OTLP'],
      [{ condition: CONDITION, ruleId: 'r', trace: UNCHECKED }, 400],
      [{ condition: CONDITION }, 400],
      [{ condition: CONDITION, traceId: '../../etc' }, 400],
    ];
    for (const [body, status, text] of cases) {
      const r = await t.call('POST', '/api/v1/rules/test', { body });
      expect(r.statusCode, JSON.stringify(body).slice(0, 80)).toBe(status);
      if (text) expect((r.json() as { error: { message: string } }).error.message).toContain(text);
    }
  });
});

describe('rule packs: export and import', () => {
  const PACK = `rules:
  - id: fraud-checked
    name: Fraud checked
    description: Charges need a fraud check
    severity: critical
    tags: [payments, pci]
    condition: |
      when { payment.charge }
      always { fraud.check }
  - id: no-errors
    name: No errors
    severity: low
    enabled: false
    condition: never { span.status == error }
`;

  test('import creates, export writes the rule-file format, re-import is unchanged (round trip)', async () => {
    const t = await buildTestApi();
    const imported = await t.call('POST', '/api/v1/rules/import', { as: 'editor', body: PACK, headers: { 'content-type': 'text/yaml' } });
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toMatchObject({ counts: { created: 2, updated: 0, unchanged: 0, error: 0 } });
    expect((await t.stores.rules.get('fraud-checked'))).toMatchObject({ severity: 'critical', tags: ['payments', 'pci'], updatedBy: `key:editor-key/${t.keyIds.editor}` });
    expect((await t.stores.rules.get('no-errors'))?.enabled).toBe(false);

    const exported = await t.call('GET', '/api/v1/rules/export', { as: 'viewer' });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('text/yaml');
    const read = readRuleFile('export.yaml', exported.body);
    expect(read.problems).toEqual([]);
    expect(read.rules.map((r) => [r.id, r.condition, r.enabled, r.description])).toEqual([
      ['fraud-checked', 'when { payment.charge }\nalways { fraud.check }\n', true, 'Charges need a fraud check'],
      ['no-errors', 'never { span.status == error }', false, ''],
    ]);

    const again = await t.call('POST', '/api/v1/rules/import', { body: exported.body, headers: { 'content-type': 'application/yaml' } });
    expect(again.json()).toMatchObject({ counts: { created: 0, updated: 0, unchanged: 2, error: 0 } });
    const changed = await t.call('POST', '/api/v1/rules/import', { body: exported.body.replace('severity: critical', 'severity: high'), headers: { 'content-type': 'text/yaml' } });
    expect(changed.json()).toMatchObject({ counts: { updated: 1, unchanged: 1 } });
    expect((await t.stores.rules.get('fraud-checked'))?.version).toBe(2);
  });

  test('conditions with awkward text survive export and import exactly', async () => {
    const t = await buildTestApi();
    const conditions = ['when { a.where(x == "trailing  ") }   \nalways { b }', 'never { a.where(note == "#not a comment: \'quoted\'") }', 'when { a }\n\n\nalways { b }\n\n'];
    for (const [i, condition] of conditions.entries()) {
      expect((await t.call('POST', '/api/v1/rules', { body: { id: `r${i}`, name: `R${i}`, severity: 'low', condition } })).statusCode).toBe(201);
    }
    const exported = (await t.call('GET', '/api/v1/rules/export')).body;
    expect(readRuleFile('x.yaml', exported).rules.map((r) => r.condition)).toEqual(conditions);
  });

  test('a rule with errors is reported with its position; the other rules still apply', async () => {
    const t = await buildTestApi();
    const pack = `rules:
  - id: good
    name: Good
    condition: never { a }
  - id: bad
    name: Bad
    condition: |
      when { a }
      alway { b }
`;
    const r = await t.call('POST', '/api/v1/rules/import', { body: pack, headers: { 'content-type': 'text/yaml' } });
    expect(r.statusCode).toBe(200);
    const report = r.json() as { rules: { id: string; outcome: string; problems: { line: number; column: number; code?: string }[] }[] };
    expect(report.rules.find((x) => x.id === 'good')?.outcome).toBe('created');
    expect(report.rules.find((x) => x.id === 'bad')).toMatchObject({ outcome: 'error', problems: [{ code: 'unknown_block', line: 9, column: 7 }] });
    expect(await t.stores.rules.get('bad')).toBeUndefined();
  });

  test('not YAML / no rules: 400 with positions; JSON content type: 415; viewer: 403', async () => {
    const t = await buildTestApi();
    const broken = await t.call('POST', '/api/v1/rules/import', { body: 'rules: [\n  {', headers: { 'content-type': 'text/yaml' } });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ error: { code: 'invalid_request', details: { problems: expect.arrayContaining([expect.objectContaining({ severity: 'error', line: 2 })]) } } });
    expect((await t.call('POST', '/api/v1/rules/import', { body: { rules: [] } })).statusCode).toBe(415);
    expect((await t.call('POST', '/api/v1/rules/import', { as: 'viewer', body: PACK, headers: { 'content-type': 'text/yaml' } })).statusCode).toBe(403);
  });
});
