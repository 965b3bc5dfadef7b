import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as HttpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startOtlpHttp } from './otlp-http.ts';
import { decodeExportResponse, decodeRpcStatus, exportSpans, sdkSpans } from './sdk-spans.ts';
import { localShard } from '../testing/test-context.ts';
import { type ReceiverTestContext, counter, receiverTestContext } from './testing.ts';

let running: { port: number; close(): Promise<void> } | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(overrides: Record<string, unknown> = {}): Promise<{ ctx: ReceiverTestContext; port: number }> {
  const ctx = await receiverTestContext(overrides);
  running = await startOtlpHttp(ctx);
  return { ctx, port: running.port };
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw POST (or other method) that tolerates the server closing the socket after an early answer. */
function send(port: number, body: Buffer | string, headers: Record<string, string>, options: { path?: string; method?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: options.path ?? '/v1/traces', method: options.method ?? 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const PROTO = { 'Content-Type': 'application/x-protobuf' };
const JSON_TYPE = { 'Content-Type': 'application/json' };

function protoRequest(): Buffer {
  return Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans()) ?? new Uint8Array());
}

function jsonRequest(spans: object[]): string {
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] }, scopeSpans: [{ spans }] }] });
}

function jsonSpan(spanId: string, extra: object = {}): object {
  return { traceId: '5b8efff798038103d269b633813fc60c', spanId, name: 'op', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000100000000', ...extra };
}

describe('OTLP/HTTP receiver with the OpenTelemetry JS SDK exporters', () => {
  const clients = [
    { name: 'http/protobuf', protocol: 'http_protobuf', make: (url: string, compression?: string) => new HttpProtoExporter({ url, ...(compression ? { compression: compression as CompressionAlgorithm } : {}) }) },
    { name: 'http/json', protocol: 'http_json', make: (url: string, compression?: string) => new HttpJsonExporter({ url, ...(compression ? { compression: compression as CompressionAlgorithm } : {}) }) },
  ];
  for (const client of clients) {
    for (const compression of [undefined, 'gzip']) {
      it(`${client.name}${compression ? ' with gzip' : ''}: spans arrive in the assembler with their ids and attributes`, async () => {
        const { ctx, port } = await start();
        const spans = sdkSpans();
        const exporter = client.make(`http://127.0.0.1:${port}/v1/traces`, compression);
        const result = await exportSpans(exporter, spans);
        await exporter.shutdown();
        expect(result).toEqual({ code: 0 });
        const [trace] = localShard(ctx).assembler.drain(Date.now());
        const sent = spans.find((s) => s.name === 'payment.charge');
        const got = trace?.spans.find((s) => s.name === 'payment.charge');
        expect(trace?.traceId).toBe(sent?.spanContext().traceId);
        expect(got).toMatchObject({
          spanId: sent?.spanContext().spanId, parentSpanId: sent?.parentSpanContext?.spanId, kind: 'client', status: 'error', statusMessage: 'declined', service: 'checkout',
        });
        expect(Object.fromEntries(got?.attributes ?? [])).toEqual({ amount: 1500, currency: 'EUR', retried: true });
        expect(trace?.spans).toHaveLength(2);
        expect(await counter(ctx, 'betrace_spans_received_total', { protocol: client.protocol })).toBe(2);
        expect(await counter(ctx, 'betrace_otlp_requests_total', { protocol: client.protocol, outcome: 'ok' })).toBe(1);
      });
    }
  }

  it('with assembly.attributes: read (the default), keeps only the span attributes enabled rules read, following rule changes', async () => {
    const { ctx, port } = await start({ assembly: { quietPeriod: '60s', idleTimeout: '60s', maxTraceAge: '10m' } });
    expect(ctx.config.assembly.attributes).toBe('read');
    const exportOnce = async (): Promise<Record<string, unknown>> => {
      const exporter = new HttpProtoExporter({ url: `http://127.0.0.1:${port}/v1/traces` });
      expect(await exportSpans(exporter, sdkSpans())).toEqual({ code: 0 });
      await exporter.shutdown();
      const [trace] = localShard(ctx).assembler.drain(Date.now());
      const got = trace?.spans.find((s) => s.name === 'payment.charge');
      // resources stay whole: service.name and resource keys are always there
      expect(got?.service).toBe('checkout');
      return Object.fromEntries(got?.attributes ?? []);
    };
    expect(await exportOnce()).toEqual({});
    await ctx.stores.rules.create({ id: 'big-eur', name: 'big EUR', severity: 'high', condition: 'never { payment.charge.where(amount > 1000 and currency == EUR) }' }, 'test');
    await ctx.rules.reload();
    expect(await exportOnce()).toEqual({ amount: 1500, currency: 'EUR' });
  });
});

describe('OTLP/HTTP receiver answers', () => {
  it('200 with an empty protobuf ExportTraceServiceResponse, in the request encoding', async () => {
    const { port } = await start();
    const proto = await send(port, protoRequest(), PROTO);
    expect(proto.status).toBe(200);
    expect(proto.headers['content-type']).toBe('application/x-protobuf');
    expect(decodeExportResponse(proto.body)).toEqual({ rejectedSpans: 0, errorMessage: '' });
    const json = await send(port, jsonRequest([jsonSpan('0000000000000001')]), { 'Content-Type': 'application/json; charset=utf-8' });
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toBe('application/json');
    expect(JSON.parse(json.body.toString())).toEqual({});
  });

  it('partial success with the rejected count and where the bad span is (JSON)', async () => {
    const { ctx, port } = await start();
    const body = jsonRequest([jsonSpan('0000000000000001'), jsonSpan('0000000000000002', { traceId: 'not-hex' })]);
    const reply = await send(port, body, JSON_TYPE);
    expect(reply.status).toBe(200);
    const r = JSON.parse(reply.body.toString()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(r.partialSuccess.rejectedSpans).toBe('1');
    expect(r.partialSuccess.errorMessage).toContain('resourceSpans[0].scopeSpans[0].spans[1].traceId');
    expect(localShard(ctx).assembler.size.spans).toBe(1);
    expect(await counter(ctx, 'betrace_spans_rejected_total', { reason: 'invalid_trace_id' })).toBe(1);
    expect(await counter(ctx, 'betrace_otlp_requests_total', { protocol: 'http_json', outcome: 'partial' })).toBe(1);
  });

  it('partial success over the span, attribute and value limits (protobuf)', async () => {
    const { ctx, port } = await start({ limits: { maxSpansPerRequest: 1, maxAttributesPerSpan: 2, maxAttributeValueLength: 2 } });
    const reply = await send(port, protoRequest(), PROTO);
    expect(reply.status).toBe(200);
    const r = decodeExportResponse(reply.body);
    expect(r.rejectedSpans).toBe(1);
    expect(r.errorMessage).toMatch(/at most 1 spans per request/);
    expect(localShard(ctx).assembler.size.spans).toBe(1);
    expect(await counter(ctx, 'betrace_spans_rejected_total', { reason: 'too_many_spans' })).toBe(1);
  });

  it('dropped attributes and truncated values are reported without rejecting the span', async () => {
    const { ctx, port } = await start({ limits: { maxAttributesPerSpan: 1, maxAttributeValueLength: 3 } });
    const attrs = [{ key: 'a', value: { stringValue: 'abcdef' } }, { key: 'b', value: { stringValue: 'x' } }];
    const reply = await send(port, jsonRequest([jsonSpan('0000000000000001', { attributes: attrs })]), JSON_TYPE);
    const r = JSON.parse(reply.body.toString()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(r.partialSuccess.rejectedSpans).toBe('0');
    // The resource's service.name ('shop') is cut too.
    expect(r.partialSuccess.errorMessage).toMatch(/dropped 1 attributes over the limit of 1 per span; truncated 2 attribute values to 3 bytes/);
    expect(await counter(ctx, 'betrace_attributes_dropped_total')).toBe(1);
    expect(await counter(ctx, 'betrace_attribute_values_truncated_total')).toBe(2);
    const [trace] = localShard(ctx).assembler.drain(Date.now());
    expect(trace?.spans[0]?.attributes.get('a')).toBe('abc');
  });

  it('400 with a google.rpc.Status saying what is wrong and where', async () => {
    const { ctx, port } = await start();
    const json = await send(port, '{"resourceSpans": [}', JSON_TYPE);
    expect(json.status).toBe(400);
    const status = JSON.parse(json.body.toString()) as { code: number; message: string };
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/^not a valid OTLP\/JSON ExportTraceServiceRequest: .*invalid JSON: Unexpected token/);
    const proto = await send(port, Buffer.from([0x0a, 0x05, 0x01]), PROTO);
    expect(proto.status).toBe(400);
    const pstatus = decodeRpcStatus(proto.body);
    expect(pstatus.code).toBe(3);
    expect(pstatus.message).toMatch(/not a valid ExportTraceServiceRequest: .*byte/);
    const notGzip = await send(port, 'plain', { ...JSON_TYPE, 'Content-Encoding': 'gzip' });
    expect(notGzip.status).toBe(400);
    expect(JSON.parse(notGzip.body.toString()).message).toMatch(/not valid gzip/);
    expect(await counter(ctx, 'betrace_otlp_requests_total', { outcome: 'invalid' })).toBe(3);
  });

  it('415 for other content types and encodings, 404 for other paths, 405 for other methods', async () => {
    const { port } = await start();
    const text = await send(port, 'x', { 'Content-Type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(JSON.parse(text.body.toString()).message).toMatch(/application\/x-protobuf or application\/json/);
    const br = await send(port, 'x', { ...JSON_TYPE, 'Content-Encoding': 'br' });
    expect(br.status).toBe(415);
    expect((await send(port, '{}', JSON_TYPE, { path: '/v1/metrics' })).status).toBe(404);
    const get = await send(port, '', {}, { method: 'GET' });
    expect(get.status).toBe(405);
    expect(get.headers['allow']).toBe('POST');
  });

  it('413 for a body over limits.maxBodyBytes, declared or streamed, and for a gzip bomb', async () => {
    const { ctx, port } = await start({ limits: { maxBodyBytes: 64 * 1024 } });
    const big = Buffer.alloc(200 * 1024, 0x20);
    const declared = await send(port, big, JSON_TYPE);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body.toString()).message).toMatch(/limit is 65536 bytes \(limits.maxBodyBytes\)/);
    const chunked = await send(port, big, { ...JSON_TYPE, 'Transfer-Encoding': 'chunked' });
    expect(chunked.status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(50 * 1024 ** 2, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const inflated = await send(port, bomb, { ...JSON_TYPE, 'Content-Encoding': 'gzip' });
    expect(inflated.status).toBe(413);
    expect(JSON.parse(inflated.body.toString()).message).toMatch(/inflates to more than 65536 bytes/);
    expect(await counter(ctx, 'betrace_otlp_requests_total', { outcome: 'too_large' })).toBe(3);
  });

  it('429 with Retry-After and RetryInfo when the pipeline pushes back; nothing is accepted', async () => {
    const { ctx, port } = await start();
    vi.spyOn(ctx.writer, 'full', 'get').mockReturnValue(true);
    const reply = await send(port, protoRequest(), PROTO);
    expect(reply.status).toBe(429);
    expect(reply.headers['retry-after']).toBe('2');
    expect(decodeRpcStatus(reply.body)).toMatchObject({ code: 8, message: expect.stringMatching(/memory budget/), retrySeconds: 2 });
    const json = await send(port, jsonRequest([jsonSpan('0000000000000001')]), JSON_TYPE);
    expect(json.status).toBe(429);
    expect(JSON.parse(json.body.toString()).details).toEqual([{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' }]);
    expect(localShard(ctx).assembler.size.spans).toBe(0);
    expect(await counter(ctx, 'betrace_spans_rejected_total', { reason: 'throttled' })).toBe(3);
  });

  it('the SDK http/protobuf exporter honours Retry-After and succeeds once the back-pressure clears', async () => {
    // (The JS SDK's gRPC exporter retries no gRPC error at all; the Collector retries RESOURCE_EXHAUSTED with RetryInfo.)
    const { ctx, port } = await start();
    const full = vi.spyOn(ctx.writer, 'full', 'get').mockReturnValue(true);
    setTimeout(() => full.mockReturnValue(false), 500);
    const exporter = new HttpProtoExporter({ url: `http://127.0.0.1:${port}/v1/traces` });
    const result = await exportSpans(exporter, sdkSpans());
    await exporter.shutdown();
    expect(result).toEqual({ code: 0 });
    expect(localShard(ctx).assembler.size.spans).toBe(2);
    expect(await counter(ctx, 'betrace_otlp_requests_total', { outcome: 'throttled' })).toBe(1);
  }, 15_000);

  it('503 with Retry-After while not ready', async () => {
    const { ctx, port } = await start();
    ctx.ready = false;
    const reply = await send(port, protoRequest(), PROTO);
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe('1');
    expect(decodeRpcStatus(reply.body).code).toBe(14);
  });
});
