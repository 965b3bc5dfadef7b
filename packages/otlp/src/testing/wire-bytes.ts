// Building protobuf bytes by hand in tests: for shapes an encoder would not produce.
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
