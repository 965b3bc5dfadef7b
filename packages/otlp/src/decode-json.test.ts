import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeJsonTraces, formatDecodeError } from './index.ts';

const fixture = (name: string) => readFileSync(new URL(`../testdata/${name}`, import.meta.url), 'utf8');

describe('decodeJsonTraces: a full ExportTraceServiceRequest', () => {
  const result = decodeJsonTraces(fixture('all-fields.json'));
  const [root, child, legacy] = result.spans;

  it('loads every span and groups them by trace id in order of appearance', () => {
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.traces.map((t) => [t.traceId, t.spans.map((s) => s.name)])).toEqual([
      ['5b8efff798038103d269b633813fc60c', ['POST /checkout', 'payment.charge']],
      ['0af7651916cd43dd8448eb211c80319c', ['db.query']],
    ]);
  });

  it('lower-cases hex ids and treats an empty parent id as a root', () => {
    expect(root?.traceId).toBe('5b8efff798038103d269b633813fc60c');
    expect(root?.spanId).toBe('eee19b7ec3c1b174');
    expect(root?.parentSpanId).toBeUndefined();
    expect(child?.parentSpanId).toBe('eee19b7ec3c1b174');
    expect(legacy?.parentSpanId).toBeUndefined();
  });

  it('computes durations exactly from int64 strings and numbers', () => {
    expect(root?.duration).toBe(1_000_000_001);
    expect(root?.start).toBe(1544712660000000000);
    expect(child?.duration).toBe(250);
    expect(legacy?.start).toBe(1);
    expect(legacy?.duration).toBe(1);
  });

  it('reads kind and status given as integers or enum names', () => {
    expect([root?.kind, child?.kind, legacy?.kind]).toEqual(['server', 'client', 'unspecified']);
    expect([root?.status, child?.status, legacy?.status]).toEqual(['ok', 'error', 'unset']);
    expect(child?.statusMessage).toBe('card declined');
  });

  it('decodes every AnyValue kind', () => {
    const attrs = Object.fromEntries(root?.attributes ?? []);
    expect(attrs).toEqual({
      'http.method': 'POST',
      'http.status_code': 200,
      retries: 3,
      ratio: 0.25,
      nan: NaN,
      cached: false,
      tags: ['a', 7],
      header: '{"x-id":"abc","n":1}',
      payload: new Uint8Array([1, 2, 3]),
    });
    expect(root?.attributes.has('empty')).toBe(false);
  });

  it('shares one resource map per resource and takes the service from service.name', () => {
    expect(root?.service).toBe('checkout');
    expect(root?.resource).toBe(child?.resource);
    expect(root?.resource.get('deployment.environment')).toBe('prod');
    expect(legacy?.service).toBe('');
    expect(legacy?.resource.get('host.name')).toBe('db-1');
  });

  it('accepts an already-parsed document', () => {
    const parsed: unknown = JSON.parse(fixture('all-fields.json'));
    expect(decodeJsonTraces(parsed).spans).toHaveLength(3);
  });
});

describe('decodeJsonTraces: the Collector file exporter format (JSONL)', () => {
  it('reads one request per line and joins spans of one trace across lines', () => {
    const result = decodeJsonTraces(fixture('collector-file.jsonl'));
    expect(result.errors).toEqual([]);
    expect(result.traces.map((t) => [t.traceId, t.spans.map((s) => `${s.service}/${s.name}`)])).toEqual([
      ['0af7651916cd43dd8448eb211c80319c', ['api/GET /users', 'db/db.query']],
      ['4bf92f3577b34da6a3ce929d0e0e4736', ['db/cron.tick']],
    ]);
  });

  it('still reads the other lines when the first line is broken', () => {
    const lines = fixture('collector-file.jsonl').split('\n');
    const result = decodeJsonTraces(['{"resourceSpans": [', ...lines].join('\n'));
    expect(result.errors.map((e) => e.line)).toEqual([1]);
    expect(result.spans).toHaveLength(3);
  });

  it('reports bad lines with their line number and keeps the good ones', () => {
    const result = decodeJsonTraces(fixture('bad-lines.jsonl'));
    expect(result.ok).toBe(false);
    expect(result.spans.map((s) => s.name)).toEqual(['ok']);
    expect(result.errors.map((e) => [e.line, e.path])).toEqual([
      [2, ''],
      [3, 'resourceSpans[0].scopeSpans[0].spans[0].spanId'],
    ]);
    expect(result.errors[0]?.message).toMatch(/^invalid JSON/);
    expect(formatDecodeError(result.errors[1]!, 'x.jsonl')).toBe(
      'x.jsonl:3: resourceSpans[0].scopeSpans[0].spans[0].spanId: expected 16 hex digits (8 bytes), found the string "zz" (OTLP/JSON writes ids as hex, not base64)',
    );
  });
});

describe('decodeJsonTraces: bad input', () => {
  it('skips each malformed span with its path and what was expected, and loads the rest', () => {
    const result = decodeJsonTraces(fixture('bad-spans.json'));
    const spans = 'resourceSpans[0].scopeSpans[0].spans';
    expect(result.spans.map((s) => s.name)).toEqual(['valid']);
    expect(result.errors.map((e) => [e.path, e.message])).toEqual([
      [`${spans}[0].traceId`, expect.stringMatching(/expected 32 hex digits .*not base64/)],
      [`${spans}[1].spanId`, expect.stringMatching(/expected 16 hex digits .*"eee19b7e"/)],
      [`${spans}[2].traceId`, expect.stringMatching(/all-zero id is invalid/)],
      [`${spans}[3].endTimeUnixNano`, expect.stringMatching(/ends \(10\) before it starts \(20\)/)],
      [`${spans}[4].attributes[0].value.intValue`, expect.stringMatching(/expected an integer.*"12.5"/)],
      [`${spans}[5].kind`, expect.stringMatching(/expected one of 0 or "SPAN_KIND_UNSPECIFIED".*found the number 9/)],
    ]);
  });

  const rows: { name: string; input: unknown; want: RegExp }[] = [
    { name: 'not JSON', input: '{"resourceSpans": [}', want: /^invalid JSON: Unexpected token '}'/ },
    { name: 'syntax error in a pretty-printed document', input: '{\n "resourceSpans": [\n  1 2 ]}', want: /^line 3:5: invalid JSON: Expected ','/ },
    { name: 'no resourceSpans', input: { spans: [] }, want: /has no "resourceSpans"/ },
    { name: 'not an object', input: [1, 2], want: /expected an ExportTraceServiceRequest object, found an array/ },
    { name: 'resourceSpans not an array', input: { resourceSpans: 3 }, want: /^resourceSpans: expected an array/ },
    {
      name: 'unknown AnyValue field',
      input: { resourceSpans: [{ resource: { attributes: [{ key: 'k', value: { mapValue: 1 } }] } }] },
      want: /^resourceSpans\[0\]\.resource\.attributes\[0\]\.value: expected one of stringValue.*"mapValue"/,
    },
  ];
  it.each(rows)('$name', ({ input, want }) => {
    const result = decodeJsonTraces(input);
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => formatDecodeError(e))).toEqual([expect.stringMatching(want)]);
  });

  it('never throws on hostile shapes', () => {
    for (const input of [null, 42, 'null', '', '[]', { resourceSpans: [null, { scopeSpans: [{ spans: [7] }] }] }]) {
      expect(() => decodeJsonTraces(input)).not.toThrow();
      expect(decodeJsonTraces(input).ok).toBe(false);
    }
  });
});
