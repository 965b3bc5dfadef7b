import {
  type Http2Server, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream, constants, createServer,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { gunzip, inflate } from 'node:zlib';

/**
 * A gRPC status: `code` is a google.rpc.Code; `details` goes out as `grpc-status-details-bin` (a
 * serialized google.rpc.Status, e.g. carrying RetryInfo).
 */
export interface GrpcFailure {
  code: number;
  message: string;
  details?: Buffer;
}

/** What a unary handler answers: the response message, or a failure. */
export type GrpcReply = { ok: true; message: Uint8Array } | { ok: false; failure: GrpcFailure };

export interface GrpcUnaryOptions {
  host: string;
  port: number;
  /** The one method served, e.g. `/opentelemetry.proto.collector.trace.v1.TraceService/Export`. */
  path: string;
  /** Largest request message, after decompression (RESOURCE_EXHAUSTED past it). */
  maxMessageBytes: number;
  /** HTTP/2 receive window per stream and per connection. */
  receiveWindow: number;
  /** Where an uncompressed request message is read to (default: an ordinary Buffer). */
  allocate?: (length: number) => Buffer;
  handle(message: Buffer): GrpcReply | Promise<GrpcReply>;
  /** Called for a call refused before `handle` (too large, broken framing or compression, unknown method). */
  onRefused(failure: GrpcFailure): void;
  /** Called when a handler throws or rejects (answered INTERNAL). */
  onError(error: unknown): void;
}

const CODE = { INTERNAL: 13, INVALID_ARGUMENT: 3, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12 } as const;
const CONTENT_TYPE = 'application/grpc+proto';
const ACCEPT_ENCODING = 'identity,gzip,deflate';

/**
 * One unary gRPC method over `node:http2`, without a gRPC framework: a unary call is one
 * length-prefixed message in, one out, and the status in trailers (gRPC over HTTP/2, PROTOCOL-HTTP2
 * in the grpc repository). This is the OTLP/gRPC hot path; grpc-js's per-call machinery (call
 * objects, filters, metadata, stream framers) cost more than the message handling itself.
 * Supports identity, gzip and deflate request compression; answers uncompressed.
 */
export async function serveGrpcUnary(options: GrpcUnaryOptions): Promise<{ port: number; close(graceMs: number): Promise<void> }> {
  const server: Http2Server = createServer({
    settings: { initialWindowSize: options.receiveWindow },
    // in MB; Node's 10 MB default refuses new streams once a few large requests are in flight —
    // requests are bounded one by one by maxMessageBytes instead
    maxSessionMemory: 1024,
  });
  const sessions = new Set<Http2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    session.setLocalWindowSize(options.receiveWindow);
  });
  server.on('stream', (stream, headers) => {
    call(stream, headers, options).catch((error: unknown) => {
      options.onError(error);
      fail(stream, { code: CODE.INTERNAL, message: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        // GOAWAY: calls in flight finish, new ones go elsewhere; whatever is left after the grace is cut
        const force = setTimeout(() => {
          for (const s of sessions) s.destroy();
        }, graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        for (const s of sessions) s.close();
      }),
  };
}

async function call(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, options: GrpcUnaryOptions): Promise<void> {
  const contentType = String(headers['content-type'] ?? '');
  if (headers[':method'] !== 'POST' || !contentType.startsWith('application/grpc')) {
    stream.respond({ ':status': 415 }, { endStream: true });
    return;
  }
  const refuse = (failure: GrpcFailure): void => {
    options.onRefused(failure);
    fail(stream, failure);
  };
  if (headers[':path'] !== options.path) {
    refuse({ code: CODE.UNIMPLEMENTED, message: `unknown method ${String(headers[':path'])}; this server implements ${options.path}` });
    return;
  }
  const encoding = String(headers['grpc-encoding'] ?? 'identity');
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'deflate') {
    refuse({ code: CODE.UNIMPLEMENTED, message: `grpc-encoding ${encoding} is not supported; use one of ${ACCEPT_ENCODING}` });
    return;
  }
  const body = await readMessage(stream, options.maxMessageBytes, options.allocate ?? Buffer.allocUnsafe);
  if (!body.ok) {
    refuse(body.failure);
    return;
  }
  const message = await decompress(encoding, body.message, body.compressed, options.maxMessageBytes);
  if (!message.ok) {
    refuse(message.failure);
    return;
  }
  const reply = await options.handle(message.message);
  if (!reply.ok) {
    fail(stream, reply.failure);
    return;
  }
  if (stream.destroyed) return;
  stream.respond({ ':status': 200, 'content-type': CONTENT_TYPE, 'grpc-accept-encoding': ACCEPT_ENCODING }, { waitForTrailers: true });
  stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
  const frame = Buffer.allocUnsafe(5 + reply.message.length);
  frame[0] = 0;
  frame.writeUInt32BE(reply.message.length, 1);
  frame.set(reply.message, 5);
  stream.end(frame);
}

type Read = { ok: true; message: Buffer; compressed: boolean } | { ok: false; failure: GrpcFailure };

/**
 * Reads the one length-prefixed message of a unary call straight into a buffer of its declared
 * size (from `allocate` when uncompressed: shared memory for worker threads), refusing it unread
 * when it is too large.
 */
function readMessage(stream: ServerHttp2Stream, max: number, allocate: (length: number) => Buffer): Promise<Read> {
  return new Promise((resolve) => {
    const head = Buffer.alloc(5);
    let headBytes = 0;
    let target: Buffer | undefined;
    let filled = 0;
    let extra = 0;
    let done = false;
    const finish = (r: Read): void => {
      if (done) return;
      done = true;
      resolve(r);
    };
    stream.on('data', (chunk: Buffer) => {
      if (done) return;
      let at = 0;
      if (headBytes < 5) {
        at = Math.min(5 - headBytes, chunk.length);
        chunk.copy(head, headBytes, 0, at);
        headBytes += at;
        if (headBytes < 5) return;
        const length = head.readUInt32BE(1);
        if (length > max) {
          finish(tooLarge(`the request message is ${length} bytes`, max));
          return;
        }
        target = head[0] === 1 ? Buffer.allocUnsafe(length) : allocate(length);
      }
      const room = target!.length - filled;
      const take = Math.min(room, chunk.length - at);
      chunk.copy(target!, filled, at, at + take);
      filled += take;
      extra += chunk.length - at - take;
    });
    stream.once('end', () => {
      if (done) return;
      if (headBytes === 0) {
        finish({ ok: false, failure: { code: CODE.INVALID_ARGUMENT, message: 'the call carries no request message' } });
      } else if (headBytes < 5 || filled < target!.length) {
        finish({ ok: false, failure: { code: CODE.INVALID_ARGUMENT, message: 'the request message is cut off' } });
      } else if (extra > 0) {
        finish({ ok: false, failure: { code: CODE.INVALID_ARGUMENT, message: 'a unary call carries exactly one request message' } });
      } else {
        finish({ ok: true, message: target!, compressed: head[0] === 1 });
      }
    });
    stream.once('error', () => finish({ ok: false, failure: { code: CODE.INVALID_ARGUMENT, message: 'the call was cut off' } }));
    stream.once('aborted', () => finish({ ok: false, failure: { code: CODE.INVALID_ARGUMENT, message: 'the call was cut off' } }));
  });
}

function decompress(encoding: string, message: Buffer, compressed: boolean, max: number): Promise<{ ok: true; message: Buffer } | { ok: false; failure: GrpcFailure }> {
  if (!compressed) return Promise.resolve({ ok: true, message });
  if (encoding === 'identity') {
    return Promise.resolve({ ok: false, failure: { code: CODE.INTERNAL, message: 'the message is marked compressed but grpc-encoding is identity' } });
  }
  const inflateWith = encoding === 'gzip' ? gunzip : inflate;
  return new Promise((resolve) => {
    inflateWith(message, { maxOutputLength: max }, (err, out) => {
      if (err === null) resolve({ ok: true, message: out });
      else if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') resolve(tooLarge('the request message inflates', max));
      else resolve({ ok: false, failure: { code: CODE.INTERNAL, message: `the message is not valid ${encoding}: ${err.message}` } });
    });
  });
}

function tooLarge(what: string, max: number): { ok: false; failure: GrpcFailure } {
  return { ok: false, failure: { code: CODE.RESOURCE_EXHAUSTED, message: `${what} larger than ${max} bytes (limits.maxBodyBytes); send smaller batches` } };
}

/** A trailers-only response carrying the status; the rest of the request, if any, is not read. */
function fail(stream: ServerHttp2Stream, failure: GrpcFailure): void {
  if (stream.destroyed || stream.closed) return;
  if (stream.headersSent) {
    stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    return;
  }
  stream.respond({
    ':status': 200, 'content-type': CONTENT_TYPE, 'grpc-accept-encoding': ACCEPT_ENCODING,
    'grpc-status': String(failure.code), 'grpc-message': percentEncode(failure.message),
    ...(failure.details ? { 'grpc-status-details-bin': failure.details.toString('base64') } : {}),
  }, { endStream: true });
  // stop a client that is still sending (RFC 9113 §8.1: the response is complete)
  if (!stream.readableEnded) stream.close(constants.NGHTTP2_NO_ERROR);
}

/** grpc-message: UTF-8, with bytes outside printable ASCII and `%` percent-encoded. */
export function percentEncode(text: string): string {
  let out = '';
  for (const b of Buffer.from(text, 'utf8')) {
    out += b >= 0x20 && b <= 0x7e && b !== 0x25 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
