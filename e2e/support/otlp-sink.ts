// A stand-in for Tempo: an OTLP/HTTP endpoint on 127.0.0.1 that decodes what it receives with
// BeTrace's own protobuf decoder and keeps the spans.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { Span } from '@betrace/engine';
import { decodeProtobufTraces } from '@betrace/otlp';

export interface OtlpSink {
  /** `http://127.0.0.1:<port>/v1/traces` */
  url: string;
  spans: Span[];
  /** Requests that were not a decodable OTLP/protobuf export (should stay empty). */
  problems: string[];
  close(): Promise<void>;
}

export async function startOtlpSink(): Promise<OtlpSink> {
  const spans: Span[] = [];
  const problems: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const decoded = req.method === 'POST' && req.url === '/v1/traces' && req.headers['content-type'] === 'application/x-protobuf'
        ? decodeProtobufTraces(body)
        : undefined;
      if (decoded === undefined || !decoded.ok) {
        problems.push(`${req.method} ${req.url} ${req.headers['content-type']}: ${decoded?.errors.map((e) => e.message).join('; ') ?? 'unexpected request'}`);
        res.writeHead(400).end();
        return;
      }
      spans.push(...decoded.spans);
      // an empty ExportTraceServiceResponse: full success
      res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 }).end();
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`, spans, problems,
    close: () => new Promise((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}
