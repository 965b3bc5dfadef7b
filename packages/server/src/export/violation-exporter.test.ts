import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { type Span, type TraceIndex, indexTrace } from '@betrace/engine';
import { decodeProtobufTraces } from '@betrace/otlp';
import type { ViolationRecord } from '@betrace/store';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.ts';
import { Metrics } from '../metrics/metrics.ts';
import { counter } from '../receivers/testing.ts';
import { ViolationExporter, parseRetryAfter } from './violation-exporter.ts';
import { violationSpan } from './violation-span.ts';

const TRACE = '5b8efff798038103d269b633813fc60c';
const T0 = 1_700_000_000_000_000_000;

function span(spanId: string, parentSpanId: string | undefined, startMs: number, endMs: number, name = 'op'): Span {
  return {
    traceId: TRACE, spanId, parentSpanId, name, kind: 'server', status: 'unset', statusMessage: '',
    start: T0 + startMs * 1e6, end: T0 + endMs * 1e6, duration: (endMs - startMs) * 1e6, service: 'shop', attributes: new Map(), resource: new Map(),
  };
}

const ROOT = span('00000000000000a1', undefined, 0, 100, 'POST /checkout');
const CHARGE = span('00000000000000b2', ROOT.spanId, 10, 40, 'payment.charge');
const AUDIT = span('00000000000000c3', ROOT.spanId, 50, 60, 'audit.write');
const INDEX: TraceIndex = indexTrace({ traceId: TRACE, spans: [ROOT, CHARGE, AUDIT] });

function record(overrides: Partial<ViolationRecord> = {}): ViolationRecord {
  const witness = (s: Span): ViolationRecord['trigger'][number] => ({ spanId: s.spanId, name: s.name, service: 'shop', attributes: {} });
  return {
    id: 'f'.repeat(32), ruleId: 'charge-needs-audit', ruleName: 'Charges are audited', ruleVersion: 3, severity: 'high',
    traceId: TRACE, boundSpanId: CHARGE.spanId, trigger: [witness(CHARGE)], offending: [witness(AUDIT)],
    reason: 'payment.charge without audit.write after it', detectedAt: Date.UTC(2026, 0, 2, 3, 4, 5), traceStart: 0, signature: 'ab'.repeat(32),
    ...overrides,
  };
}

interface Received {
  headers: IncomingMessage['headers'];
  spans: Span[];
}

/** A tiny OTLP/HTTP endpoint: answers with `statuses` in turn (then 200) and decodes what arrives. */
async function endpoint(statuses: number[] = [], extraHeaders: Record<string, string> = {}): Promise<{ url: string; received: Received[]; attempts: () => number; close(): Promise<void> }> {
  const received: Received[] = [];
  let attempts = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      attempts++;
      const status = statuses.shift() ?? 200;
      if (status === 200) {
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        const decoded = decodeProtobufTraces(body);
        if (!decoded.ok) throw new Error(decoded.errors[0]?.message);
        received.push({ headers: req.headers, spans: decoded.spans });
      }
      res.writeHead(status, status === 200 ? { 'Content-Type': 'application/x-protobuf' } : extraHeaders);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`, received, attempts: () => attempts,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function setup(exportConfig: Record<string, unknown>, statuses: number[] = [], extraHeaders: Record<string, string> = {}) {
  const target = await endpoint(statuses, extraHeaders);
  const metrics = new Metrics({ defaultMetrics: false });
  const config = configSchema.parse({ export: { endpoint: target.url, interval: 60_000, ...exportConfig } }).export;
  const exporter = new ViolationExporter(config, metrics, pino({ level: 'silent' }), { baseBackoffMs: 5, maxBackoffMs: 50, closeDeadlineMs: 2_000 });
  closers.push(() => exporter.close(), () => target.close());
  return { target, exporter, ctx: { metrics } };
}

describe('ViolationExporter', () => {
  it('sends a betrace.violation span in the same trace, child of the first trigger witness, with the violation attributes', async () => {
    const { target, exporter, ctx } = await setup({ headers: { authorization: 'Bearer tempo-token' } });
    exporter.enqueue(violationSpan(record(), INDEX));
    await exporter.flush();
    expect(target.received).toHaveLength(1);
    const [req] = target.received;
    expect(req?.headers['authorization']).toBe('Bearer tempo-token');
    expect(req?.headers['content-type']).toBe('application/x-protobuf');
    const [v] = req?.spans ?? [];
    expect(v).toMatchObject({ traceId: TRACE, parentSpanId: CHARGE.spanId, name: 'betrace.violation', kind: 'internal', service: 'betrace', start: CHARGE.end, end: CHARGE.end });
    expect(v?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(v?.spanId).not.toBe(CHARGE.spanId);
    expect(Object.fromEntries(v?.attributes ?? [])).toEqual({
      'betrace.violation.id': 'f'.repeat(32),
      'betrace.violation.rule_id': 'charge-needs-audit',
      'betrace.violation.rule_name': 'Charges are audited',
      'betrace.violation.rule_version': 3,
      'betrace.violation.severity': 'high',
      'betrace.violation.reason': 'payment.charge without audit.write after it',
      'betrace.violation.signature': 'ab'.repeat(32),
      'betrace.violation.trigger_span_ids': CHARGE.spanId,
      'betrace.violation.offending_span_ids': AUDIT.spanId,
      'betrace.violation.detected_at': '2026-01-02T03:04:05.000Z',
    });
    expect(await counter(ctx, 'betrace_exported_violation_spans_total')).toBe(1);
  });

  const parents = [
    { name: 'first trigger witness found in the trace', input: { trigger: [{ spanId: 'ffffffffffffffff', name: 'gone', service: '', attributes: {} }, { spanId: AUDIT.spanId, name: '', service: '', attributes: {} }] }, want: AUDIT },
    { name: 'first offending span without trigger', input: { trigger: [], offending: [{ spanId: AUDIT.spanId, name: '', service: '', attributes: {} }] }, want: AUDIT },
    { name: 'the trace root without witnesses', input: { trigger: [], offending: [] }, want: ROOT },
  ];
  for (const { name, input, want } of parents) {
    it(`parent: ${name}`, async () => {
      const { target, exporter } = await setup({});
      exporter.enqueue(violationSpan(record(input), INDEX));
      await exporter.flush();
      expect(target.received[0]?.spans[0]).toMatchObject({ parentSpanId: want.spanId, start: want.end });
    });
  }

  it('retries 503 (honouring Retry-After) and then delivers; failures are counted', async () => {
    const { target, exporter, ctx } = await setup({}, [503, 429], { 'Retry-After': '0' });
    exporter.enqueue(violationSpan(record(), INDEX));
    await exporter.flush();
    expect(target.attempts()).toBe(3);
    expect(target.received).toHaveLength(1);
    expect(await counter(ctx, 'betrace_export_failures_total', { reason: 'http_status' })).toBe(2);
    expect(await counter(ctx, 'betrace_exported_violation_spans_total')).toBe(1);
  });

  it('gives a batch up after the bounded attempts, and does not retry a 400', async () => {
    const { target, exporter, ctx } = await setup({}, [503, 503, 503, 503, 503, 400]);
    exporter.enqueue(violationSpan(record(), INDEX));
    await exporter.flush();
    expect(target.attempts()).toBe(5);
    expect(await counter(ctx, 'betrace_export_failures_total', { reason: 'gave_up' })).toBe(1);
    exporter.enqueue(violationSpan(record(), INDEX));
    await exporter.flush();
    expect(target.attempts()).toBe(6);
    expect(await counter(ctx, 'betrace_export_dropped_violation_spans_total', { reason: 'rejected' })).toBe(1);
    expect(await counter(ctx, 'betrace_export_dropped_violation_spans_total', { reason: 'gave_up' })).toBe(1);
  });

  it('counts network errors and never throws from enqueue', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const config = configSchema.parse({ export: { endpoint: 'http://127.0.0.1:1/v1/traces', interval: 60_000 } }).export;
    const exporter = new ViolationExporter(config, metrics, pino({ level: 'silent' }), { baseBackoffMs: 1, maxAttempts: 2, closeDeadlineMs: 200 });
    exporter.enqueue(violationSpan(record(), INDEX));
    await exporter.flush();
    await exporter.close();
    expect(await counter({ metrics }, 'betrace_export_failures_total', { reason: 'network' })).toBe(2);
  });

  it('drops the oldest span when the queue is full, and counts it', async () => {
    const { target, exporter, ctx } = await setup({ maxQueue: 2 });
    for (const id of ['1', '2', '3']) exporter.enqueue(violationSpan(record({ id: id.repeat(32) }), INDEX));
    expect(exporter.queued).toBe(2);
    await exporter.flush();
    const ids = target.received.flatMap((r) => r.spans.map((s) => s.attributes.get('betrace.violation.id')));
    expect(ids).toEqual(['2'.repeat(32), '3'.repeat(32)]);
    expect(await counter(ctx, 'betrace_export_failures_total', { reason: 'queue_full' })).toBe(1);
    expect(await counter(ctx, 'betrace_export_dropped_violation_spans_total', { reason: 'queue_full' })).toBe(1);
  });

  it('sends in batches of export.batchSize, and by itself every export.interval', async () => {
    const { target, exporter } = await setup({ batchSize: 2, interval: 20 });
    for (const id of ['1', '2', '3']) exporter.enqueue(violationSpan(record({ id: id.repeat(32) }), INDEX));
    await expect.poll(() => target.received.flatMap((r) => r.spans).length).toBe(3);
    expect(target.received.map((r) => r.spans.length)).toEqual([2, 1]);
  });

  it('close() delivers what is queued', async () => {
    const { target, exporter } = await setup({});
    exporter.enqueue(violationSpan(record(), INDEX));
    await exporter.close();
    expect(target.received).toHaveLength(1);
  });

  it('close() gives up at its deadline and counts what is left', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const target = await endpoint(Array(100).fill(503), { 'Retry-After': '1' });
    closers.push(() => target.close());
    const config = configSchema.parse({ export: { endpoint: target.url, interval: 60_000 } }).export;
    const exporter = new ViolationExporter(config, metrics, pino({ level: 'silent' }), { maxAttempts: 100, closeDeadlineMs: 300 });
    exporter.enqueue(violationSpan(record(), INDEX));
    const started = Date.now();
    await exporter.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await counter({ metrics }, 'betrace_export_dropped_violation_spans_total', { reason: 'shutdown' })).toBe(1);
  });
});

describe('parseRetryAfter', () => {
  const rows = [
    { input: null, want: undefined },
    { input: '3', want: 3000 },
    { input: 'soon', want: undefined },
    { input: new Date(0).toUTCString(), want: 0 },
  ];
  for (const { input, want } of rows) it(`${String(input)} → ${String(want)}`, () => expect(parseRetryAfter(input)).toBe(want));
});
