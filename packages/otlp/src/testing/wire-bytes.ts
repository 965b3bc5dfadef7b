// Building protobuf bytes by hand in tests: for shapes an encoder would not produce.
import protobuf from 'protobufjs';
import { protobufjsEncode } from './protobufjs-oracle.ts';

export const TRACE_ID = '5b8efff798038103d269b633813fc60c';
export const SPAN_ID = 'eee19b7ec3c1b174';

export function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** Field `field` as a length-delimited `body`. */
export function msg(field: number, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([...varint(field * 8 + 2), ...varint(body.length)]), body]);
}

/** A request with one span: `span` (protobufjs object shape) over sensible defaults, in resource `resource`. */
export function oneSpan(span: object, resource: object = { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] }): Uint8Array {
  return protobufjsEncode({
    resourceSpans: [
      {
        resource,
        scopeSpans: [
          {
            spans: [
              {
                traceId: Buffer.from(TRACE_ID, 'hex'),
                spanId: Buffer.from(SPAN_ID, 'hex'),
                name: 'GET /',
                startTimeUnixNano: '1544712660000000000',
                endTimeUnixNano: '1544712661000000001',
                ...span,
              },
            ],
          },
        ],
      },
    ],
  });
}

/** One field of a message as it is on the wire; `body` is the payload of a length-delimited one. */
export interface WireField {
  field: number;
  raw: Uint8Array;
  body?: Uint8Array;
}

/** The fields of a well-formed message, in wire order. */
export function wireFields(bytes: Uint8Array): WireField[] {
  const r = protobuf.Reader.create(bytes);
  const out: WireField[] = [];
  while (r.pos < r.len) {
    const start = r.pos;
    const tag = r.uint32();
    if ((tag & 7) === 2) {
      const body = r.bytes();
      out.push({ field: tag >>> 3, raw: bytes.subarray(start, r.pos), body });
    } else {
      r.skipType(tag & 7);
      out.push({ field: tag >>> 3, raw: bytes.subarray(start, r.pos) });
    }
  }
  return out;
}

/** A well-formed request with every span's bytes replaced by `f(span)`; everything else as it was. */
export function mapSpans(request: Uint8Array, f: (span: Buffer) => Uint8Array): Buffer {
  // request.resource_spans (1) > ResourceSpans.scope_spans (2) > ScopeSpans.spans (2)
  const level = (bytes: Uint8Array, depth: number): Buffer =>
    Buffer.concat(
      wireFields(bytes).map(({ field, raw, body }) => {
        if (body === undefined || field !== (depth === 0 ? 1 : 2)) return raw;
        return msg(field, depth === 2 ? f(Buffer.from(body)) : level(body, depth + 1));
      }),
    );
  return level(request, 0);
}
