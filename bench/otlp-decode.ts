// OTLP/protobuf decoding speed: requests of 500 realistic spans (10–15 attributes each, 8 resources),
// one core. Baselines in the same run: protobufjs on the same .proto files, with the conversion to
// engine spans the server would need, and its raw decode alone.
import { decodeProtobufTraces } from '@betrace/otlp';
import { RequestType, protobufjsEncode, requestObjectFromSpans, requestToSpans } from '@betrace/otlp/testing';
import { makeTraces } from './lib/traces.ts';
import { fmt, measure } from './lib/measure.ts';

const SPANS_PER_REQUEST = 500;

function requests(): Uint8Array[] {
  const spans = makeTraces(42, 400, 25).flatMap((t) => t.spans);
  const out: Uint8Array[] = [];
  for (let i = 0; i + SPANS_PER_REQUEST <= spans.length; i += SPANS_PER_REQUEST) {
    out.push(protobufjsEncode(requestObjectFromSpans(spans.slice(i, i + SPANS_PER_REQUEST))));
  }
  return out;
}

export function benchOtlpDecode(): string[] {
  const reqs = requests();
  const bytes = reqs.reduce((n, r) => n + r.length, 0) / reqs.length;
  for (const r of reqs) {
    const d = decodeProtobufTraces(r);
    if (!d.ok || d.spans.length !== SPANS_PER_REQUEST) throw new Error('bench request does not decode');
  }
  const run = (f: (r: Uint8Array) => unknown) => {
    let i = 0;
    return measure(() => {
      f(reqs[i++ % reqs.length]!);
    }, 3000).perSecond;
  };
  const ours = run((r) => decodeProtobufTraces(r));
  // what one of two worker threads does with every request: walk it all, decode its half
  const half = run((r) => decodeProtobufTraces(r, undefined, undefined, { index: 0, count: 2 }));
  const pbjsSpans = run((r) => requestToSpans(RequestType.decode(r)));
  const pbjsRaw = run((r) => RequestType.decode(r));
  const row = (name: string, perSecond: number) =>
    `| ${name} | ${fmt(perSecond * SPANS_PER_REQUEST)} | ${fmt(perSecond)} | ${((perSecond * bytes) / 2 ** 20).toFixed(0)} | ${(ours / perSecond).toFixed(2)}× |`;
  return [
    `Requests of ${SPANS_PER_REQUEST} spans, ${fmt(bytes)} bytes on average; spans/s counts every span of the requests read.`,
    '',
    '| decoder | spans/s | requests/s | MiB/s | hand-written is faster by |',
    '|---|---:|---:|---:|---:|',
    row('hand-written → engine spans (with ingest limits)', ours),
    row('the same, one shard of two (the whole request walked, half its spans decoded)', half),
    row('protobufjs decode → engine spans', pbjsSpans),
    row('protobufjs decode alone (no engine spans)', pbjsRaw),
  ];
}
