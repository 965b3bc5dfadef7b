// The load generator as its own process: sends LoadGenerator batches to a running `betrace serve`
// over OTLP/HTTP protobuf or OTLP/gRPC, `concurrency` requests in flight, for `seconds`; at `rate`
// spans/s, or as fast as the server answers when rate is 0. Throttled requests (429 /
// RESOURCE_EXHAUSTED) are retried, as OTLP exporters do. Prints one JSON line with the counts.
//   node bench/lib/load-client.ts http|grpc PORT SECONDS CONCURRENCY RATE VIOLATING_SHARE
import { Agent, request } from 'node:http';
import { Client, credentials, type ServiceError } from '@grpc/grpc-js';
import { LoadGenerator } from './load.ts';

export interface ClientResult {
  protocol: string;
  seconds: number;
  sentSpans: number;
  acceptedSpans: number;
  traces: number;
  requests: number;
  throttled: number;
  failed: number;
  /** Spans the server reported rejected in a partial success. */
  rejectedSpans: number;
  /** CPU seconds the generator used while sending (user + system). */
  cpuSeconds: number;
}

type Send = (bytes: Uint8Array) => Promise<{ status: 'ok' | 'throttled' | 'failed'; rejected: number }>;

function httpSender(port: number, concurrency: number): Send {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  return (bytes) => new Promise((resolve) => {
    const req = request({
      host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', agent,
      headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': bytes.length },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (res.statusCode === 200) resolve({ status: 'ok', rejected: rejectedOf(body) });
        else resolve({ status: res.statusCode === 429 || res.statusCode === 503 ? 'throttled' : 'failed', rejected: 0 });
      });
    });
    req.on('error', () => resolve({ status: 'failed', rejected: 0 }));
    req.end(bytes);
  });
}

function grpcSender(port: number): Send {
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure(), { 'grpc.max_send_message_length': 64 * 2 ** 20 });
  const identity = (b: Buffer): Buffer => b;
  return (bytes) => new Promise((resolve) => {
    client.makeUnaryRequest('/opentelemetry.proto.collector.trace.v1.TraceService/Export', identity, identity, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length),
      (err: ServiceError | null, body?: Buffer) => {
        if (err === null) resolve({ status: 'ok', rejected: rejectedOf(body ?? Buffer.alloc(0)) });
        else resolve({ status: err.code === 8 || err.code === 14 ? 'throttled' : 'failed', rejected: 0 });
      });
  });
}

/** `ExportTraceServiceResponse.partial_success.rejected_spans` (0 for an empty response). */
function rejectedOf(body: Buffer): number {
  // field 1 (partial_success, LEN) holding field 1 (rejected_spans, varint)
  if (body.length < 4 || body[0] !== 0x0a || body[2] !== 0x08) return 0;
  let n = 0;
  let scale = 1;
  for (let i = 3; i < body.length; i++) {
    n += (body[i]! & 0x7f) * scale;
    if (body[i]! < 0x80) break;
    scale *= 128;
  }
  return n;
}

export async function runClient(protocol: 'http' | 'grpc', port: number, seconds: number, concurrency: number, rate: number, violatingShare: number): Promise<ClientResult> {
  const gen = new LoadGenerator({ violatingShare });
  const send = protocol === 'http' ? httpSender(port, concurrency) : grpcSender(port);
  const r: ClientResult = { protocol, seconds: 0, sentSpans: 0, acceptedSpans: 0, traces: 0, requests: 0, throttled: 0, failed: 0, rejectedSpans: 0, cpuSeconds: 0 };
  const cpu = process.cpuUsage();
  const start = performance.now();
  const stopAt = start + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < stopAt) {
      if (rate > 0) {
        // pace: the spans sent so far should not run ahead of rate × elapsed
        const ahead = r.sentSpans / rate - (performance.now() - start) / 1000;
        if (ahead > 0) await new Promise((res) => setTimeout(res, ahead * 1000));
      }
      const batch = gen.next();
      r.sentSpans += batch.spans;
      r.traces += batch.traces;
      for (let attempt = 0; ; attempt++) {
        r.requests++;
        const answer = await send(batch.bytes);
        if (answer.status === 'ok') {
          r.acceptedSpans += batch.spans - answer.rejected;
          r.rejectedSpans += answer.rejected;
          break;
        }
        if (answer.status === 'failed' || attempt > 100) {
          r.failed++;
          break;
        }
        r.throttled++;
        await new Promise((res) => setTimeout(res, 50));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  r.seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  r.cpuSeconds = (used.user + used.system) / 1e6;
  return r;
}

if (import.meta.main) {
  const [protocol, port, seconds, concurrency, rate, share] = process.argv.slice(2);
  if (protocol !== 'http' && protocol !== 'grpc') throw new Error('usage: load-client.ts http|grpc PORT SECONDS CONCURRENCY RATE VIOLATING_SHARE');
  const result = await runClient(protocol, Number(port), Number(seconds), Number(concurrency), Number(rate), Number(share));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
