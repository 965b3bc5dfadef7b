import { encodeExportTraceServiceResponse } from '@betrace/otlp';
import type { ServerContext } from '../context.ts';
import { type GrpcReply, serveGrpcUnary } from './grpc-unary.ts';
import type { IngestAnswer } from './ingest-request.ts';
import { LogThrottle } from './log-throttle.ts';
import { RPC_CODE, encodeRpcStatus } from './rpc-status.ts';

const SHUTDOWN_GRACE_MS = 5_000;
const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/**
 * HTTP/2 receive window per stream and per connection. Node's default is 64 KiB: a request of a
 * few hundred KiB from a Collector then moves a window at a time, each WINDOW_UPDATE waiting for
 * this event loop, and throughput follows latency instead of CPU.
 */
const RECEIVE_WINDOW = 8 * 1024 * 1024;

/**
 * OTLP/gRPC on `listen.otlpGrpcPort`: `TraceService/Export`, with identity, gzip or deflate
 * requests; `limits.maxBodyBytes` holds for the inflated message (RESOURCE_EXHAUSTED past it).
 */
export async function startOtlpGrpc(ctx: ServerContext): Promise<{ port: number; close(): Promise<void> }> {
  const log = new LogThrottle(ctx.logger);
  const reply = (a: IngestAnswer): GrpcReply => {
    switch (a.kind) {
      case 'ok':
        return { ok: true, message: encodeExportTraceServiceResponse(a.response) };
      case 'throttled':
        // OTLP clients retry RESOURCE_EXHAUSTED only when the status carries RetryInfo
        return {
          ok: false,
          failure: { code: RPC_CODE.RESOURCE_EXHAUSTED, message: a.message, details: encodeRpcStatus({ code: RPC_CODE.RESOURCE_EXHAUSTED, message: a.message, retryAfterSeconds: a.retryAfterSeconds }) },
        };
      case 'invalid':
        ctx.metrics.requests.inc({ protocol: 'grpc', outcome: 'invalid' });
        log.warn('grpc_invalid', { protocol: 'grpc', error: a.message }, 'rejected an OTLP/gRPC request');
        return { ok: false, failure: { code: RPC_CODE.INVALID_ARGUMENT, message: a.message } };
      case 'unavailable':
        ctx.metrics.requests.inc({ protocol: 'grpc', outcome: 'unavailable' });
        return { ok: false, failure: { code: RPC_CODE.UNAVAILABLE, message: a.message } };
      default: {
        const never: never = a;
        throw new Error(`unhandled answer ${JSON.stringify(never)}`);
      }
    }
  };
  const server = await serveGrpcUnary({
    host: ctx.config.listen.host,
    port: ctx.config.listen.otlpGrpcPort,
    path: EXPORT_PATH,
    maxMessageBytes: ctx.config.limits.maxBodyBytes,
    receiveWindow: RECEIVE_WINDOW,
    // worker threads read the message where it lies: no copy to hand it over
    ...(ctx.runtime.sharedBodies ? { allocate: (n: number) => Buffer.from(new SharedArrayBuffer(n)) } : {}),
    handle: (message) => {
      if (!ctx.isReady()) {
        ctx.metrics.requests.inc({ protocol: 'grpc', outcome: 'unavailable' });
        return { ok: false, failure: { code: RPC_CODE.UNAVAILABLE, message: 'BeTrace is starting or shutting down; retry shortly' } };
      }
      const ingested = ctx.runtime.ingest('grpc', message);
      return ingested instanceof Promise ? ingested.then(reply) : reply(ingested);
    },
    onRefused: (failure) => {
      const outcome = failure.code === RPC_CODE.RESOURCE_EXHAUSTED ? 'too_large' : failure.code === RPC_CODE.UNIMPLEMENTED ? 'unsupported' : 'invalid';
      ctx.metrics.requests.inc({ protocol: 'grpc', outcome });
      log.warn(`grpc_${outcome}`, { protocol: 'grpc', error: failure.message }, 'rejected an OTLP/gRPC request');
    },
    onError: (err) => ctx.logger.error({ err }, 'OTLP/gRPC request failed with an internal error'),
  });
  return { port: server.port, close: () => server.close(SHUTDOWN_GRACE_MS) };
}
