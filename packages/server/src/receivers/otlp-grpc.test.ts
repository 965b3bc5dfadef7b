import { Client, type Metadata, type ServiceError, credentials } from '@grpc/grpc-js';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import type { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { connect } from 'node:http2';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startOtlpGrpc } from './otlp-grpc.ts';
import { decodeExportResponse, decodeRpcStatus, exportSpans, sdkSpans } from './sdk-spans.ts';
import { localShard } from '../testing/test-context.ts';
import { type ReceiverTestContext, counter, receiverTestContext } from './testing.ts';

const EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

let running: { port: number; close(): Promise<void> } | undefined;
let client: Client | undefined;

afterEach(async () => {
  client?.close();
  client = undefined;
  await running?.close();
  running = undefined;
});

async function start(overrides: Record<string, unknown> = {}): Promise<{ ctx: ReceiverTestContext; port: number }> {
  const ctx = await receiverTestContext(overrides);
  running = await startOtlpGrpc(ctx);
  return { ctx, port: running.port };
}

/** One raw Export call with our own bytes; resolves with the response bytes or the gRPC error. */
function call(port: number, body: Buffer, options: { gzip?: boolean } = {}): Promise<{ ok: true; body: Buffer } | { ok: false; error: ServiceError }> {
  client ??= new Client(`127.0.0.1:${port}`, credentials.createInsecure(), options.gzip ? { 'grpc.default_compression_algorithm': 2 } : {});
  return new Promise((resolve) => {
    client?.makeUnaryRequest(EXPORT, (b: Buffer) => b, (b: Buffer) => b, body, (err: ServiceError | null, res?: Buffer) => {
      resolve(err ? { ok: false, error: err } : { ok: true, body: res ?? Buffer.alloc(0) });
    });
  });
}

function statusDetails(metadata: Metadata): ReturnType<typeof decodeRpcStatus> | undefined {
  const [bin] = metadata.get('grpc-status-details-bin');
  return bin instanceof Buffer ? decodeRpcStatus(bin) : undefined;
}

function protoRequest(): Buffer {
  return Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans()) ?? new Uint8Array());
}

describe('OTLP/gRPC receiver with the OpenTelemetry JS SDK exporter', () => {
  for (const compression of [undefined, 'gzip']) {
    it(`grpc${compression ? ' with gzip' : ''}: spans arrive in the assembler with their ids and attributes`, async () => {
      const { ctx, port } = await start();
      const spans = sdkSpans();
      const exporter = new GrpcExporter({ url: `http://127.0.0.1:${port}`, ...(compression ? { compression: compression as CompressionAlgorithm } : {}) });
      const result = await exportSpans(exporter, spans);
      await exporter.shutdown();
      expect(result).toEqual({ code: 0 });
      const [trace] = localShard(ctx).assembler.drain(Date.now());
      const sent = spans.find((s) => s.name === 'payment.charge');
      const got = trace?.spans.find((s) => s.name === 'payment.charge');
      expect(trace?.traceId).toBe(sent?.spanContext().traceId);
      expect(got).toMatchObject({ spanId: sent?.spanContext().spanId, parentSpanId: sent?.parentSpanContext?.spanId, kind: 'client', status: 'error', service: 'checkout' });
      expect(Object.fromEntries(got?.attributes ?? [])).toEqual({ amount: 1500, currency: 'EUR', retried: true });
      expect(await counter(ctx, 'betrace_spans_received_total', { protocol: 'grpc' })).toBe(2);
    });
  }

  it('with assembly.attributes: read (the default), keeps only the span attributes enabled rules read, following rule changes', async () => {
    const { ctx, port } = await start({ assembly: { quietPeriod: '60s', idleTimeout: '60s', maxTraceAge: '10m' } });
    expect(ctx.config.assembly.attributes).toBe('read');
    const exportOnce = async (): Promise<Record<string, unknown>> => {
      const exporter = new GrpcExporter({ url: `http://127.0.0.1:${port}` });
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

describe('OTLP/gRPC receiver answers', () => {
  it('an ExportTraceServiceResponse with partial success when spans are rejected', async () => {
    const { ctx, port } = await start({ limits: { maxSpansPerRequest: 1 } });
    const reply = await call(port, protoRequest(), { gzip: true });
    if (!reply.ok) throw reply.error;
    const r = decodeExportResponse(reply.body);
    expect(r.rejectedSpans).toBe(1);
    expect(r.errorMessage).toMatch(/rejected 1 of 2 spans: 1 over the per-request span limit/);
    expect(await counter(ctx, 'betrace_otlp_requests_total', { protocol: 'grpc', outcome: 'partial' })).toBe(1);
  });

  it('INVALID_ARGUMENT saying where the bytes are broken', async () => {
    const { port } = await start();
    const reply = await call(port, Buffer.from([0x0a, 0x05, 0x01]));
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe(3);
    expect(reply.error.details).toMatch(/not a valid ExportTraceServiceRequest: .*byte/);
  });

  it('RESOURCE_EXHAUSTED with a decodable RetryInfo under back-pressure; nothing accepted', async () => {
    const { ctx, port } = await start();
    vi.spyOn(ctx.writer, 'full', 'get').mockReturnValue(true);
    const reply = await call(port, protoRequest());
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe(8);
    expect(statusDetails(reply.error.metadata)).toEqual({
      code: 8, message: expect.stringMatching(/memory budget/), typeUrls: ['type.googleapis.com/google.rpc.RetryInfo'], retrySeconds: 2,
    });
    expect(localShard(ctx).assembler.size.spans).toBe(0);
    expect(await counter(ctx, 'betrace_otlp_requests_total', { protocol: 'grpc', outcome: 'throttled' })).toBe(1);
  });

  it('RESOURCE_EXHAUSTED for a message over limits.maxBodyBytes, also when it only inflates past it', async () => {
    const { port } = await start({ limits: { maxBodyBytes: 64 * 1024 } });
    const big = Buffer.concat([Buffer.from([0x52, 0x80, 0x80, 0x10]), Buffer.alloc(256 * 1024, 0)]);
    const bomb = await call(port, big, { gzip: true });
    expect(gzipSync(big).length).toBeLessThan(64 * 1024);
    expect(bomb.ok).toBe(false);
    if (bomb.ok) return;
    expect(bomb.error.code).toBe(8);
    expect(bomb.error.details).toMatch(/larger than 65536/);
  });

  it('UNAVAILABLE while not ready', async () => {
    const { ctx, port } = await start();
    ctx.ready = false;
    const reply = await call(port, protoRequest());
    expect(reply.ok ? 0 : reply.error.code).toBe(14);
  });
});

describe('OTLP/gRPC receiver flow control', () => {
  it('offers HTTP/2 receive windows a whole export request fits in (Node defaults to 64 KiB)', async () => {
    const { port } = await start();
    const session = connect(`http://127.0.0.1:${port}`);
    try {
      await new Promise<void>((resolve, reject) => {
        session.once('remoteSettings', () => resolve());
        session.once('error', reject);
      });
      expect(session.remoteSettings.initialWindowSize).toBe(8 * 1024 * 1024);
      // the connection window follows in a WINDOW_UPDATE right after the settings
      await new Promise((r) => setTimeout(r, 50));
      expect(session.state.remoteWindowSize).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    } finally {
      session.destroy();
    }
  });
});
