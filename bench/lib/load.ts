// A load generator of realistic OTLP/protobuf traffic: traces of 5–500 spans across eight services,
// 10–20 attributes per span, a configurable share of traces breaking the benchmark rules. Batches
// are encoded once as templates; every `next()` copies one and writes fresh trace ids into it, so
// the generator costs a memcpy per batch and can feed a server far faster than it can decode.
import type { AttrValue, Span, Trace } from '@betrace/engine';
import { protobufjsEncode, requestObjectFromSpans } from '@betrace/otlp/testing';
import { prng } from './prng.ts';
import { makeTrace } from './traces.ts';

export interface LoadOptions {
  seed: number;
  /** Share of traces that break some benchmark rules (0–1). */
  violatingShare: number;
  /** Spans per protobuf request, roughly (whole traces only). */
  batchSpans: number;
  /** Distinct batch templates to cycle through. */
  templates: number;
}

export const DEFAULT_LOAD: LoadOptions = { seed: 7, violatingShare: 0.1, batchSpans: 1000, templates: 64 };

/** One protobuf request and what it holds. */
export interface Batch {
  bytes: Uint8Array;
  spans: number;
  traces: number;
}

interface Template {
  bytes: Uint8Array;
  spans: number;
  /** Byte offsets of each trace's 16-byte trace id fields, one list per trace. */
  idOffsets: number[][];
}

const EXTRA_KEYS = [
  'k8s.pod.name', 'k8s.namespace.name', 'net.peer.name', 'rpc.method', 'messaging.system',
  'feature.flag.key', 'http.request.header.x-request-id',
];

/** Span counts from 5 to 500, most traces small (log-skewed), as in real services. */
function traceSize(rand: () => number): number {
  return Math.round(Math.exp(Math.log(5) + (Math.log(500) - Math.log(5)) * rand() ** 1.6));
}

/** A trace with 0–7 extra attributes per span, so spans carry 10–20 attributes. */
function loadTrace(rand: () => number, violating: boolean): Trace {
  const t = makeTrace(rand, traceSize(rand), violating);
  // some violating traces charge in a currency no rule allows (a verdict one span decides)
  const oddCurrency = violating && rand() < 0.3;
  const spans = t.spans.map((s): Span => {
    const extra = (rand() * 8) | 0;
    const odd = oddCurrency && s.name === 'payment.charge';
    if (extra === 0 && !odd) return s;
    const attrs = new Map<string, AttrValue>(s.attributes);
    if (odd) attrs.set('currency', 'JPY');
    for (let i = 0; i < extra; i++) {
      const key = EXTRA_KEYS[i % EXTRA_KEYS.length]!;
      attrs.set(key, key.endsWith('request-id') ? `req-${(rand() * 1e9) | 0}` : `${key.split('.')[0]}-${(rand() * 20) | 0}`);
    }
    return { ...s, attributes: attrs };
  });
  return { traceId: t.traceId, spans };
}

/** Traffic as protobuf requests; `next()` never repeats a trace id. */
export class LoadGenerator {
  readonly options: LoadOptions;
  private readonly templates: Template[] = [];
  private readonly prefix: Uint8Array;
  private counter = 1;
  private turn = 0;
  /** Spans per trace, averaged over the templates. */
  readonly meanTraceSpans: number;
  /** Attributes per span, averaged over the templates. */
  readonly meanAttributes: number;

  constructor(options: Partial<LoadOptions> = {}) {
    this.options = { ...DEFAULT_LOAD, ...options };
    const rand = prng(this.options.seed);
    // the first 8 bytes of every trace id identify this generator, the last 8 count traces
    this.prefix = new Uint8Array(8).map(() => 1 + ((rand() * 255) | 0));
    let traces = 0;
    let spans = 0;
    let attrs = 0;
    for (let i = 0; i < this.options.templates; i++) {
      const batch: Trace[] = [];
      let n = 0;
      while (n < this.options.batchSpans) {
        const t = loadTrace(rand, rand() < this.options.violatingShare);
        batch.push(t);
        n += t.spans.length;
        for (const s of t.spans) attrs += s.attributes.size;
      }
      traces += batch.length;
      spans += n;
      this.templates.push(template(batch));
    }
    this.meanTraceSpans = spans / traces;
    this.meanAttributes = attrs / spans;
  }

  /** The next request, with trace ids never sent before. */
  next(): Batch {
    const t = this.templates[this.turn++ % this.templates.length]!;
    const bytes = t.bytes.slice();
    for (const offsets of t.idOffsets) {
      const c = this.counter++;
      for (const at of offsets) {
        bytes.set(this.prefix, at);
        for (let k = 0; k < 8; k++) bytes[at + 15 - k] = Math.floor(c / 256 ** k) & 0xff;
      }
    }
    return { bytes, spans: t.spans, traces: t.idOffsets.length };
  }
}

function template(traces: readonly Trace[]): Template {
  const spans = traces.flatMap((t) => t.spans);
  const bytes = protobufjsEncode(requestObjectFromSpans(spans));
  const wanted = new Map(traces.map((t, i) => [t.traceId, i]));
  const idOffsets: number[][] = traces.map(() => []);
  // a trace id field is tag 0x0a, length 0x10, then the 16 bytes; find every one of ours
  for (let i = 0; i + 18 <= bytes.length; i++) {
    if (bytes[i] !== 0x0a || bytes[i + 1] !== 0x10) continue;
    const id = Buffer.from(bytes.subarray(i + 2, i + 18)).toString('hex');
    const k = wanted.get(id);
    if (k !== undefined) idOffsets[k]!.push(i + 2);
  }
  idOffsets.forEach((o, k) => {
    if (o.length !== traces[k]!.spans.length) throw new Error('load generator: trace id offsets do not match the spans');
  });
  return { bytes, spans: spans.length, idOffsets };
}
