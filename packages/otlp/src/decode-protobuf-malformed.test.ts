import { describe, expect, it } from 'vitest';
import { decodeProtobufTraces, formatDecodeError } from './index.ts';
import { protobufjsEncode } from './testing/index.ts';
import { prng } from './testing/random.ts';
import { SPAN_ID, TRACE_ID, msg, oneSpan } from './testing/wire-bytes.ts';

const span = (name: string) => Buffer.concat([msg(1, Buffer.from(TRACE_ID, 'hex')), msg(2, Buffer.from(SPAN_ID, 'hex')), msg(5, Buffer.from(name))]);
const requestOf = (...spanBodies: Uint8Array[]) => msg(1, msg(2, Buffer.concat(spanBodies.map((b) => msg(2, b)))));

describe('decodeProtobufTraces: malformed requests are invalid as a whole', () => {
  const rows: { name: string; input: Uint8Array; want: RegExp }[] = [
    { name: 'truncated varint', input: Buffer.from([0x0a, 0x80]), want: /^not a valid ExportTraceServiceRequest: truncated varint.*\(byte 2 of 2\)$/ },
    { name: 'varint longer than 10 bytes', input: Buffer.from([0x10, ...Array(11).fill(0xff), 0x01]), want: /more than 10 bytes/ },
    { name: 'length past the end', input: Buffer.from([0x0a, 0x05, 0x12]), want: /length 5 runs past the end of its message \(1 bytes left\)/ },
    { name: 'resource_spans with the wrong wire type', input: Buffer.from([0x08, 0x01]), want: /field resource_spans \(1\) has wire type varint; expected length-delimited/ },
    { name: 'field number 0', input: Buffer.from([0x00, 0x01]), want: /invalid field number 0/ },
    { name: 'invalid wire type 7', input: Buffer.from([0x17]), want: /invalid wire type 7/ },
    { name: 'unmatched end group', input: Buffer.from([0x0c]), want: /unexpected end-group tag/ },
    { name: 'a bad resource', input: msg(1, msg(1, Buffer.from([0x0a, 0x09]))), want: /^resourceSpans\[0\]\.resource: not a valid/ },
  ];
  it.each(rows)('$name', ({ input, want }) => {
    const result = decodeProtobufTraces(input);
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => formatDecodeError(e))).toEqual([expect.stringMatching(want)]);
  });

  it('accepts an empty request', () => {
    expect(decodeProtobufTraces(new Uint8Array(0))).toMatchObject({ ok: true, spans: [] });
  });
});

describe('decodeProtobufTraces: a malformed span is rejected and the others load', () => {
  it('rejects the span whose own bytes are bad, with its path and byte offset', () => {
    const bad = Buffer.concat([span('bad'), Buffer.from([0x4a, 0x7f])]); // attributes length past the span
    const result = decodeProtobufTraces(requestOf(span('a'), bad, span('b')));
    if (!result.ok) throw new Error('expected ok');
    expect(result.spans.map((s) => s.name)).toEqual(['a', 'b']);
    expect(result.report.rejected.malformed).toBe(1);
    expect(formatDecodeError(result.errors[0]!)).toMatch(/^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[1\]: malformed span: length 127 runs past/);
  });

  it('rejects a span with a known field of the wrong wire type', () => {
    const bad = Buffer.concat([span('bad'), Buffer.from([0x39, 1, 2, 3, 4, 5, 6, 7, 8]), Buffer.from([0x38, 0x01])]);
    const result = decodeProtobufTraces(requestOf(bad));
    expect(result.ok && result.errors[0]?.message).toMatch(/field start_time_unix_nano \(7\) has wire type varint; expected fixed64/);
  });

  it('refuses values nested deeper than 32 levels instead of overflowing the stack', () => {
    let value: Uint8Array = msg(1, Buffer.from('leaf'));
    for (let i = 0; i < 200; i++) value = msg(5, msg(1, value));
    const bad = Buffer.concat([span('deep'), msg(9, Buffer.concat([msg(1, Buffer.from('k')), msg(2, value)]))]);
    const result = decodeProtobufTraces(requestOf(bad, span('ok')));
    expect(result.ok && result.spans.map((s) => s.name)).toEqual(['ok']);
    expect(result.ok && result.errors[0]?.message).toMatch(/nested deeper than 32/);
  });

  it('skips deeply nested unknown groups only up to a bound', () => {
    const open = Buffer.from(Array(100).fill(0xfb).flatMap((b) => [b, 0x07]));
    const result = decodeProtobufTraces(requestOf(Buffer.concat([span('g'), open])));
    expect(result.ok && result.report.rejected.malformed).toBe(1);
  });
});

describe('decodeProtobufTraces: fuzzing', () => {
  const rand = prng(11);
  const seeds: Uint8Array[] = [
    oneSpan({ kind: 2, status: { code: 2, message: 'x' }, attributes: [
      { key: 'a', value: { arrayValue: { values: [{ stringValue: 'é' }, { intValue: -1 }, { kvlistValue: { values: [{ key: 'k', value: { doubleValue: 1.5 } }] } }] } } },
      { key: 'b', value: { bytesValue: Buffer.from([1, 2]) } },
    ] }),
    protobufjsEncode({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 's' } }] }, scopeSpans: [{ spans: [
      { traceId: Buffer.from(TRACE_ID, 'hex'), spanId: Buffer.from(SPAN_ID, 'hex'), events: [{ name: 'e' }], links: [{ traceId: Buffer.alloc(16, 1) }] },
    ] }] }] }),
  ];

  it('never throws and always ends on 20 000 truncated, bit-flipped, spliced and random buffers', () => {
    let ok = 0;
    for (let i = 0; i < 20_000; i++) {
      const seed = seeds[i % seeds.length]!;
      let bytes: Uint8Array;
      switch (i % 4) {
        case 0:
          bytes = seed.subarray(0, (rand() * seed.length) | 0);
          break;
        case 1: {
          bytes = Uint8Array.from(seed);
          for (let k = 0; k < 1 + ((rand() * 4) | 0); k++) { const at = (rand() * bytes.length) | 0; bytes[at] = bytes[at]! ^ (1 << ((rand() * 8) | 0)); }
          break;
        }
        case 2: {
          const at = (rand() * seed.length) | 0;
          const junk = Array.from({ length: 1 + ((rand() * 12) | 0) }, () => (rand() * 256) | 0);
          bytes = Buffer.concat([seed.subarray(0, at), Buffer.from(junk), seed.subarray(at)]);
          break;
        }
        default:
          bytes = Uint8Array.from({ length: (rand() * 64) | 0 }, () => (rand() * 256) | 0);
      }
      const result = decodeProtobufTraces(bytes);
      if (result.ok) {
        ok++;
        for (const s of result.spans) {
          expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
          expect(s.duration).toBeGreaterThanOrEqual(0);
        }
      } else {
        expect(result.errors).toHaveLength(1);
      }
    }
    // Both outcomes occur: the fuzzer reaches past the framing into span bodies.
    expect(ok).toBeGreaterThan(1000);
    expect(ok).toBeLessThan(19_000);
  });
});
