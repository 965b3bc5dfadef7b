// Random ExportTraceServiceRequests in the protobufjs `fromObject` shape, for property tests; the
// same seed gives the same request, so a failure can be replayed.

/** `bytes` random bytes, none of them zero (so an id is never all-zero by chance). */
export function randomId(rand: () => number, bytes: number): Buffer {
  return Buffer.from(Array.from({ length: bytes }, () => 1 + ((rand() * 255) | 0)));
}

/** A random AnyValue (protobufjs object shape) of every type, nested up to `depth`. */
export function randomValue(rand: () => number, depth: number): object {
  const pick = (rand() * (depth > 0 ? 9 : 7)) | 0;
  switch (pick) {
    case 0:
      return { stringValue: ['', 'a', 'héllo wörld', '日本語', 'x'.repeat(40), `v${(rand() * 1e6) | 0}`][(rand() * 6) | 0] };
    case 1:
      return { boolValue: rand() < 0.5 };
    case 2:
      return { intValue: ['0', '-1', '42', '9007199254740993', '-9223372036854775808', '9223372036854775807', `${(rand() * 1e9) | 0}`][(rand() * 7) | 0] };
    case 3:
      return { doubleValue: [0.5, -1e300, NaN, Infinity, -0, 3][(rand() * 6) | 0] };
    case 4:
      return { bytesValue: randomId(rand, (rand() * 5) | 0) };
    case 5:
      return {};
    case 6:
      return { stringValue: 'plain' };
    case 7:
      return { arrayValue: { values: Array.from({ length: (rand() * 4) | 0 }, () => randomValue(rand, depth - 1)) } };
    default:
      return {
        kvlistValue: {
          values: Array.from({ length: (rand() * 4) | 0 }, (_, i) => ({ key: `k${i}`, value: randomValue(rand, depth - 1) })),
        },
      };
  }
}

/** `n` random KeyValues; keys repeat on purpose: the last value wins, and an empty AnyValue removes the key. */
export function randomAttributes(rand: () => number, n: number): object[] {
  return Array.from({ length: n }, () => ({ key: `attr.${(rand() * 8) | 0}`, value: randomValue(rand, 2) }));
}

export interface RandomRequestOptions {
  /** Spans share trace ids drawn from this many per request (default: every span its own trace). */
  traces?: number;
  /** The chance that a span has an invalid trace id, span id or time (default 0). */
  invalid?: number;
}

/** Ways a span can break the data model; the trace id ones leave the span without a shard. */
const INVALID: readonly ((rand: () => number) => object)[] = [
  () => ({ traceId: Buffer.alloc(0) }),
  () => ({ traceId: Buffer.alloc(16) }),
  (rand) => ({ traceId: randomId(rand, 15) }),
  (rand) => ({ spanId: randomId(rand, 7) }),
  () => ({ startTimeUnixNano: '20', endTimeUnixNano: '10' }),
];

/**
 * A request of 1–3 ResourceSpans (most with a service name and a few more resource attributes),
 * 1–2 ScopeSpans each and 0–5 spans per scope, with every AnyValue type, events, links and flags.
 */
export function randomRequest(rand: () => number, options: RandomRequestOptions = {}): object {
  const traceIds = options.traces === undefined ? undefined : Array.from({ length: options.traces }, () => randomId(rand, 16));
  const invalid = options.invalid ?? 0;
  return {
    resourceSpans: Array.from({ length: 1 + ((rand() * 3) | 0) }, (_, r) => ({
      resource: rand() < 0.8 ? { attributes: [{ key: 'service.name', value: { stringValue: `svc-${r}` } }, ...randomAttributes(rand, 3)] } : undefined,
      scopeSpans: Array.from({ length: 1 + ((rand() * 2) | 0) }, () => ({
        scope: { name: 'lib', version: '1' },
        spans: Array.from({ length: (rand() * 6) | 0 }, () => {
          const start = 1_700_000_000_000_000_000n + BigInt((rand() * 1e15) | 0);
          const span = {
            traceId: traceIds === undefined ? randomId(rand, 16) : traceIds[(rand() * traceIds.length) | 0],
            spanId: randomId(rand, 8),
            parentSpanId: rand() < 0.3 ? undefined : rand() < 0.1 ? Buffer.alloc(8) : randomId(rand, 8),
            traceState: rand() < 0.2 ? 'congo=t61rcWkgMzE' : '',
            flags: 0x101,
            name: `op ${(rand() * 5) | 0}`,
            kind: (rand() * 6) | 0,
            startTimeUnixNano: start.toString(),
            endTimeUnixNano: (start + BigInt((rand() * 1e9) | 0)).toString(),
            attributes: randomAttributes(rand, (rand() * 12) | 0),
            droppedAttributesCount: 1,
            events: rand() < 0.3 ? [{ timeUnixNano: start.toString(), name: 'ev', attributes: randomAttributes(rand, 2) }] : [],
            links: rand() < 0.3 ? [{ traceId: randomId(rand, 16), spanId: randomId(rand, 8), flags: 1 }] : [],
            status: rand() < 0.5 ? { code: (rand() * 3) | 0, message: rand() < 0.5 ? 'boom' : '' } : undefined,
          };
          return invalid > 0 && rand() < invalid ? { ...span, ...INVALID[(rand() * INVALID.length) | 0]!(rand) } : span;
        }),
      })),
    })),
  };
}

/**
 * The OTLP/JSON form of a request in the protobufjs object shape: ids as hex, bytes values as
 * base64, non-finite doubles as strings, absent fields left out.
 */
export function otlpJson(value: unknown, key = ''): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString(key === 'bytesValue' ? 'base64' : 'hex');
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return value.map((item: unknown) => otlpJson(item));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, otlpJson(v, k)]));
  }
  return value;
}
