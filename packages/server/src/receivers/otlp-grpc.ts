import {
  Metadata, Server, ServerCredentials, type ServerErrorResponse, type ServerUnaryCall, type ServiceDefinition, type sendUnaryData, status,
} from '@grpc/grpc-js';
import { encodeExportTraceServiceResponse } from '@betrace/otlp';
import type { ServerContext } from '../context.ts';
import type { IngestAnswer } from './ingest-request.ts';
import { LogThrottle } from './log-throttle.ts';
import { RPC_CODE, encodeRpcStatus } from './rpc-status.ts';

const SHUTDOWN_GRACE_MS = 5_000;

const identity = (b: Buffer): Buffer => b;

/** `opentelemetry.proto.collector.trace.v1.TraceService`, with bytes in and out: our own codec does the protobuf. */
const TRACE_SERVICE: ServiceDefinition = {
  Export: {
    path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

/**
 * OTLP/gRPC on `listen.otlpGrpcPort`. grpc-js inflates `grpc-encoding: gzip` and enforces
 * `limits.maxBodyBytes` on the inflated message (RESOURCE_EXHAUSTED past it).
 */
export async function startOtlpGrpc(ctx: ServerContext): Promise<{ port: number; close(): Promise<void> }> {
  const log = new LogThrottle(ctx.logger);
  const answer = (callback: sendUnaryData<Buffer>, a: IngestAnswer): void => {
    switch (a.kind) {
      case 'ok':
        callback(null, Buffer.from(encodeExportTraceServiceResponse(a.response)));
        return;
      case 'throttled':
        callback(failure(status.RESOURCE_EXHAUSTED, a.message, a.retryAfterSeconds), null);
        return;
      case 'invalid':
        ctx.metrics.requests.inc({ protocol: 'grpc', outcome: 'invalid' });
        log.warn('grpc_invalid', { protocol: 'grpc', error: a.message }, 'rejected an OTLP/gRPC request');
        callback(failure(status.INVALID_ARGUMENT, a.message), null);
        return;
      case 'unavailable':
        ctx.metrics.requests.inc({ protocol: 'grpc', outcome: 'unavailable' });
        callback(failure(status.UNAVAILABLE, a.message), null);
        return;
      default: {
        const never: never = a;
        throw new Error(`unhandled answer ${JSON.stringify(never)}`);
      }
    }
  };
  const server = new Server({
    'grpc.max_receive_message_length': ctx.config.limits.maxBodyBytes,
  });
  widenReceiveWindows(server);
  server.addService(TRACE_SERVICE, {
    Export(call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void {
      if (!ctx.isReady()) {
        ctx.metrics.requests.inc({ protocol: 'grpc', outcome: 'unavailable' });
        callback(failure(status.UNAVAILABLE, 'BeTrace is starting or shutting down; retry shortly'), null);
        return;
      }
      const ingested = ctx.runtime.ingest('grpc', call.request);
      if (!(ingested instanceof Promise)) {
        answer(callback, ingested);
        return;
      }
      ingested.then((a) => answer(callback, a), (err: unknown) => {
        ctx.logger.error({ err }, 'OTLP/gRPC request failed with an internal error');
        callback(failure(status.INTERNAL, 'internal error'), null);
      });
    },
  });
  const { host, otlpGrpcPort } = ctx.config.listen;
  const address = `${host.includes(':') ? `[${host}]` : host}:${otlpGrpcPort}`;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  widenSessionWindows(server);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, SHUTDOWN_GRACE_MS);
        force.unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}

/**
 * A gRPC error. With `retryAfterSeconds` the trailers carry a google.rpc.Status holding RetryInfo:
 * OTLP clients retry RESOURCE_EXHAUSTED only when it is there.
 */
function failure(code: status, message: string, retryAfterSeconds?: number): ServerErrorResponse {
  const metadata = new Metadata();
  if (retryAfterSeconds !== undefined) {
    metadata.set('grpc-status-details-bin', encodeRpcStatus({ code: RPC_CODE.RESOURCE_EXHAUSTED, message, retryAfterSeconds }));
  }
  return Object.assign(new Error(message), { code, details: message, metadata });
}

/** HTTP/2 receive window per stream and per connection: a whole typical export request fits. */
const RECEIVE_WINDOW = 8 * 1024 * 1024;

// grpc-js has no option for the server's HTTP/2 receive windows, and Node's default is 64 KiB:
// requests of a few hundred KiB from a Collector then move a window at a time, each WINDOW_UPDATE
// waiting for this event loop, so throughput follows latency instead of CPU. Both hooks reach
// into grpc-js internals (pinned version; receivers' tests cover them): settings before bind,
// the connection window of each session after.
interface GrpcServerInternals {
  commonServerOptions?: { settings?: Record<string, unknown> };
  http2Servers?: Map<{ on(event: 'session', f: (session: { setLocalWindowSize(n: number): void }) => void): void }, unknown>;
}

function widenReceiveWindows(server: Server): void {
  const internals = server as unknown as GrpcServerInternals;
  if (internals.commonServerOptions === undefined) return;
  internals.commonServerOptions.settings = { ...internals.commonServerOptions.settings, initialWindowSize: RECEIVE_WINDOW };
}

function widenSessionWindows(server: Server): void {
  for (const http2Server of (server as unknown as GrpcServerInternals).http2Servers?.keys() ?? []) {
    http2Server.on('session', (session) => session.setLocalWindowSize(RECEIVE_WINDOW));
  }
}
