import { Client, type ServiceError, credentials } from '@grpc/grpc-js';
import { connect } from 'node:http2';
import { deflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { type GrpcFailure, type GrpcReply, percentEncode, serveGrpcUnary } from './grpc-unary.ts';

const PATH = '/test.Echo/Call';
let server: { port: number; close(graceMs: number): Promise<void> } | undefined;
let client: Client | undefined;
const refused: GrpcFailure[] = [];

/** The next call connects anew (with its own compression setting). */
function newClient(): void {
  client?.close();
  client = undefined;
}

afterEach(async () => {
  newClient();
  await server?.close(100);
  server = undefined;
  refused.length = 0;
});

async function start(handle: (m: Buffer) => GrpcReply | Promise<GrpcReply>, maxMessageBytes = 1024): Promise<number> {
  server = await serveGrpcUnary({
    host: '127.0.0.1', port: 0, path: PATH, maxMessageBytes, receiveWindow: 1 << 20, handle,
    onRefused: (f) => void refused.push(f), onError: () => undefined,
  });
  return server.port;
}

function call(port: number, body: Buffer, path = PATH, compression?: 'gzip' | 'deflate'): Promise<{ ok: true; body: Buffer } | { ok: false; error: ServiceError }> {
  const algorithm = compression === 'gzip' ? 2 : compression === 'deflate' ? 1 : undefined;
  client ??= new Client(`127.0.0.1:${port}`, credentials.createInsecure(), algorithm ? { 'grpc.default_compression_algorithm': algorithm } : {});
  return new Promise((resolve) => {
    client?.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, body, (err: ServiceError | null, res?: Buffer) => {
      resolve(err ? { ok: false, error: err } : { ok: true, body: res ?? Buffer.alloc(0) });
    });
  });
}

/** One raw HTTP/2 call with the body bytes as given (for framing grpc-js would never send). */
async function raw(port: number, headers: Record<string, string>, body: Buffer, pieces = 1): Promise<{ headers: Record<string, unknown>; trailers: Record<string, unknown> }> {
  const session = connect(`http://127.0.0.1:${port}`);
  try {
    const req = session.request({ ':method': 'POST', ':path': PATH, 'content-type': 'application/grpc', te: 'trailers', ...headers });
    const result = new Promise<{ headers: Record<string, unknown>; trailers: Record<string, unknown> }>((resolve, reject) => {
      let got: Record<string, unknown> = {};
      let trailers: Record<string, unknown> = {};
      req.on('response', (h) => void (got = h));
      req.on('trailers', (t) => void (trailers = t));
      req.on('data', () => undefined);
      req.on('close', () => resolve({ headers: got, trailers }));
      req.on('error', reject);
    });
    const step = Math.ceil(body.length / pieces);
    for (let at = 0; at < body.length; at += step) {
      req.write(body.subarray(at, at + step));
      await new Promise((r) => setImmediate(r));
    }
    req.end();
    return await result;
  } finally {
    session.close();
  }
}

function frame(message: Buffer, compressed = false): Buffer {
  const head = Buffer.alloc(5);
  head[0] = compressed ? 1 : 0;
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

describe('serveGrpcUnary', () => {
  it('answers a call with the handler\'s message, also for gzip and deflate requests', async () => {
    const port = await start((m) => ({ ok: true, message: Buffer.concat([Buffer.from('echo:'), m]) }));
    expect(await call(port, Buffer.from('hi'))).toEqual({ ok: true, body: Buffer.from('echo:hi') });
    newClient();
    expect(await call(port, Buffer.from('zipped'), PATH, 'gzip')).toEqual({ ok: true, body: Buffer.from('echo:zipped') });
    newClient();
    expect(await call(port, Buffer.from('deflated'), PATH, 'deflate')).toEqual({ ok: true, body: Buffer.from('echo:deflated') });
  });

  it('carries the handler\'s failure: code, a non-ASCII message and binary details', async () => {
    const details = Buffer.from([0, 1, 2, 250, 255]);
    const port = await start(() => ({ ok: false, failure: { code: 3, message: 'größer als 100% erlaubt', details } }));
    const reply = await call(port, Buffer.from('x'));
    if (reply.ok) throw new Error('expected a failure');
    expect(reply.error.code).toBe(3);
    expect(reply.error.details).toBe('größer als 100% erlaubt');
    expect(reply.error.metadata.get('grpc-status-details-bin')).toEqual([details]);
  });

  it('refuses an unknown method (UNIMPLEMENTED) and a message over the limit (RESOURCE_EXHAUSTED), saying which', async () => {
    const port = await start(() => ({ ok: true, message: Buffer.alloc(0) }), 64);
    const unknown = await call(port, Buffer.from('x'), '/other.Service/Call');
    expect(unknown.ok ? 0 : unknown.error.code).toBe(12);
    const big = await call(port, Buffer.alloc(65, 1));
    expect(big.ok ? 0 : big.error.code).toBe(8);
    expect(big.ok ? '' : big.error.details).toMatch(/65 bytes larger than 64 bytes/);
    expect(refused.map((f) => f.code)).toEqual([12, 8]);
  });

  it('refuses broken framing and compression: no message, two messages, cut off, bad gzip, unknown encoding', async () => {
    const port = await start(() => ({ ok: true, message: Buffer.alloc(0) }));
    const status = async (headers: Record<string, string>, body: Buffer): Promise<string> => {
      const r = await raw(port, headers, body);
      return String(r.trailers['grpc-status'] ?? r.headers['grpc-status']);
    };
    expect(await status({}, Buffer.alloc(0))).toBe('3');
    expect(await status({}, Buffer.concat([frame(Buffer.from('a')), frame(Buffer.from('b'))]))).toBe('3');
    expect(await status({}, frame(Buffer.from('abc')).subarray(0, 6))).toBe('3');
    expect(await status({ 'grpc-encoding': 'gzip' }, frame(Buffer.from('not gzip'), true))).toBe('13');
    expect(await status({ 'grpc-encoding': 'snappy' }, frame(Buffer.from('a')))).toBe('12');
    expect(await status({ 'grpc-encoding': 'deflate' }, frame(deflateSync(Buffer.from('ok')), true))).toBe('0');
    expect(refused.map((f) => f.code)).toEqual([3, 3, 3, 13, 12]);
  });

  it('puts together a message that arrives in many small pieces, its 5-byte prefix split too', async () => {
    const seen: Buffer[] = [];
    const port = await start((m) => {
      seen.push(Buffer.from(m));
      return { ok: true, message: Buffer.alloc(0) };
    });
    const message = Buffer.from(Array.from({ length: 700 }, (_, i) => i % 251));
    const r = await raw(port, {}, frame(message), 235);
    expect(r.trailers['grpc-status']).toBe('0');
    expect(seen).toEqual([message]);
  });

  it('answers a handler that throws with INTERNAL, and keeps serving', async () => {
    let calls = 0;
    const port = await start(() => {
      if (calls++ === 0) throw new Error('boom');
      return { ok: true, message: Buffer.from('fine') };
    });
    const first = await call(port, Buffer.from('x'));
    expect(first.ok ? 0 : first.error.code).toBe(13);
    expect(await call(port, Buffer.from('x'))).toEqual({ ok: true, body: Buffer.from('fine') });
  });

  it('lets a call in flight finish when it closes, and takes no new connections', async () => {
    let release: () => void = () => undefined;
    const port = await start(() => new Promise<GrpcReply>((resolve) => {
      release = () => resolve({ ok: true, message: Buffer.from('done') });
    }));
    const inFlight = call(port, Buffer.from('x'));
    await new Promise((r) => setTimeout(r, 50));
    const closed = server!.close(5_000);
    server = undefined;
    release();
    expect(await inFlight).toEqual({ ok: true, body: Buffer.from('done') });
    await closed;
  });
});

describe('percentEncode', () => {
  it('keeps printable ASCII and encodes the rest and %, as grpc-message wants', () => {
    expect(percentEncode('a b:c/100%')).toBe('a b:c/100%25');
    expect(percentEncode('ü\n')).toBe('%C3%BC%0A');
  });
});
