import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeExportTraceServiceResponse, exportTraceServiceResponseJson } from '@betrace/otlp';
import type { ServerContext } from '../context.ts';
import type { IngestAnswer, Protocol } from './ingest-request.ts';
import { LogThrottle } from './log-throttle.ts';
import { readBody } from './read-body.ts';
import { RPC_CODE, type RpcStatus, encodeRpcStatus, rpcStatusJson } from './rpc-status.ts';

type Encoding = 'protobuf' | 'json';

const PATH = '/v1/traces';
const CONTENT_TYPES: Record<Encoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };
const CLOSE_GRACE_MS = 5_000;

/**
 * OTLP/HTTP on `listen.otlpHttpPort`: `POST /v1/traces` with protobuf or JSON bodies, plain or
 * gzip, answered as the OTLP/HTTP specification says. Plain `node:http` rather than the API's
 * Fastify: one route, and this is the hot path.
 */
export async function startOtlpHttp(ctx: ServerContext): Promise<{ port: number; close(): Promise<void> }> {
  const receiver = new HttpReceiver(ctx);
  const server = createServer({ requestTimeout: 60_000, keepAliveTimeout: 30_000 }, (req, res) => {
    receiver.handle(req, res).catch((err: unknown) => {
      ctx.logger.error({ err }, 'OTLP/HTTP request failed with an internal error');
      if (!res.headersSent) receiver.send(res, 500, 'json', { code: 13, message: 'internal error' });
    });
  });
  const { host, otlpHttpPort } = ctx.config.listen;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(otlpHttpPort, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Requests in flight finish (answered 503 once not ready); idle keep-alive sockets close now.
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

class HttpReceiver {
  private readonly ctx: ServerContext;
  private readonly log: LogThrottle;

  constructor(ctx: ServerContext) {
    this.ctx = ctx;
    this.log = new LogThrottle(ctx.logger);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const encoding = encodingOf(req.headers['content-type']);
    const url = req.url ?? '';
    if (url !== PATH && !url.startsWith(`${PATH}?`)) {
      this.send(res, 404, encoding ?? 'json', { code: RPC_CODE.NOT_FOUND, message: `no such path ${JSON.stringify(url)}; OTLP traces go to POST ${PATH}` });
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      this.send(res, 405, encoding ?? 'json', { code: RPC_CODE.UNIMPLEMENTED, message: `method ${req.method} is not allowed on ${PATH}; use POST` });
      return;
    }
    if (encoding === undefined) {
      const message = `unsupported Content-Type ${JSON.stringify(req.headers['content-type'] ?? '')}; send application/x-protobuf or application/json`;
      this.reject(res, 415, 'json', 'http', 'unsupported', message);
      return;
    }
    const protocol: Protocol = encoding === 'protobuf' ? 'http_protobuf' : 'http_json';
    const contentEncoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (contentEncoding !== 'identity' && contentEncoding !== 'gzip' && contentEncoding !== '') {
      const message = `unsupported Content-Encoding ${JSON.stringify(contentEncoding)}; send gzip or an uncompressed body`;
      this.reject(res, 415, encoding, protocol, 'unsupported', message);
      return;
    }
    if (!this.ctx.isReady()) {
      this.ctx.metrics.requests.inc({ protocol, outcome: 'unavailable' });
      res.setHeader('Retry-After', '1');
      this.send(res, 503, encoding, { code: RPC_CODE.UNAVAILABLE, message: 'BeTrace is starting or shutting down; retry shortly' });
      return;
    }
    const read = await readBody(req, this.ctx.config.limits.maxBodyBytes, contentEncoding === 'gzip', this.ctx.runtime.sharedBodies);
    if (!read.ok) {
      if (read.status === 413) res.setHeader('Connection', 'close');
      this.reject(res, read.status, encoding, protocol, read.status === 413 ? 'too_large' : 'invalid', read.message);
      return;
    }
    this.answer(res, encoding, protocol, await this.ctx.runtime.ingest(protocol, read.body));
  }

  send(res: ServerResponse, status: number, encoding: Encoding, rpc: RpcStatus): void {
    const body = encoding === 'protobuf' ? encodeRpcStatus(rpc) : JSON.stringify(rpcStatusJson(rpc));
    write(res, status, encoding, body);
  }

  private answer(res: ServerResponse, encoding: Encoding, protocol: Protocol, answer: IngestAnswer): void {
    switch (answer.kind) {
      case 'ok': {
        const body = encoding === 'protobuf'
          ? encodeExportTraceServiceResponse(answer.response)
          : JSON.stringify(exportTraceServiceResponseJson(answer.response));
        write(res, 200, encoding, body);
        return;
      }
      case 'throttled':
        res.setHeader('Retry-After', String(answer.retryAfterSeconds));
        this.send(res, 429, encoding, { code: RPC_CODE.RESOURCE_EXHAUSTED, message: answer.message, retryAfterSeconds: answer.retryAfterSeconds });
        return;
      case 'invalid':
        this.reject(res, 400, encoding, protocol, 'invalid', answer.message);
        return;
      case 'unavailable':
        this.ctx.metrics.requests.inc({ protocol, outcome: 'unavailable' });
        res.setHeader('Retry-After', '1');
        this.send(res, 503, encoding, { code: RPC_CODE.UNAVAILABLE, message: answer.message });
        return;
      default: {
        const never: never = answer;
        throw new Error(`unhandled answer ${JSON.stringify(never)}`);
      }
    }
  }

  /** Answers a request that was not accepted; `protocol` is `http` when the body encoding is unknown. */
  private reject(res: ServerResponse, status: number, encoding: Encoding, protocol: Protocol | 'http', outcome: string, message: string): void {
    this.ctx.metrics.requests.inc({ protocol, outcome });
    this.log.warn(`http_${status}`, { status, protocol, error: message }, 'rejected an OTLP/HTTP request');
    this.send(res, status, encoding, { code: status === 413 ? RPC_CODE.RESOURCE_EXHAUSTED : RPC_CODE.INVALID_ARGUMENT, message });
  }
}

/** The body encoding named by a Content-Type header (parameters such as charset ignored). */
function encodingOf(contentType: string | undefined): Encoding | undefined {
  if (contentType === undefined) return undefined;
  const semi = contentType.indexOf(';');
  const type = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

function write(res: ServerResponse, status: number, encoding: Encoding, body: Uint8Array | string): void {
  res.writeHead(status, { 'Content-Type': CONTENT_TYPES[encoding], 'Content-Length': typeof body === 'string' ? Buffer.byteLength(body) : body.length });
  res.end(body);
}
