import { describe, expect, it } from 'vitest';
import { exampleTrace } from './example-trace.ts';
import { readRuleFile } from './read-rule-file.ts';

function example(trace: string) {
  const result = readRuleFile('r.yaml', `rules:\n  - id: r\n    condition: never { a }\n    examples:\n      - expect: pass\n        trace:\n${trace}`);
  expect(result.problems).toEqual([]);
  const spec = result.rules[0]?.examples[0];
  if (!spec) throw new Error('example did not load');
  return spec;
}

describe('exampleTrace', () => {
  it('runs spans one after another, 1 ms each, when no times are given', () => {
    const trace = exampleTrace('r', 0, example('          - span: a\n          - span: b\n          - span: c\n'));
    expect(trace.spans.map((s) => [s.name, s.start, s.end, s.duration])).toEqual([
      ['a', 0, 1e6, 1e6],
      ['b', 1e6, 2e6, 1e6],
      ['c', 2e6, 3e6, 1e6],
    ]);
  });

  it('uses explicit start and duration (strings with units, numbers in ms)', () => {
    const trace = exampleTrace('r', 0, example('          - { span: a, start: 10ms, duration: 2.5s }\n          - { span: b, start: 1.5, duration: 250us }\n'));
    expect(trace.spans.map((s) => [s.start, s.duration])).toEqual([[10e6, 2.5e9], [1.5e6, 250e3]]);
  });

  it('links parents by local id or unique span name and leaves other spans as roots', () => {
    const trace = exampleTrace('r', 0, example('          - { span: api, id: root }\n          - { span: db, parent: root }\n          - { span: cache, parent: db }\n'));
    const [api, db, cache] = trace.spans;
    expect(api?.parentSpanId).toBeUndefined();
    expect(db?.parentSpanId).toBe(api?.spanId);
    expect(cache?.parentSpanId).toBe(db?.spanId);
  });

  it('generates valid, deterministic hex ids that differ per rule, example and entry', () => {
    const spec = example('          - span: a\n          - span: b\n');
    const one = exampleTrace('r', 0, spec);
    expect(one).toEqual(exampleTrace('r', 0, spec));
    expect(one.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(one.spans.every((s) => /^[0-9a-f]{16}$/.test(s.spanId) && s.traceId === one.traceId)).toBe(true);
    expect(new Set(one.spans.map((s) => s.spanId)).size).toBe(2);
    expect(exampleTrace('r', 1, spec).traceId).not.toBe(one.traceId);
    expect(exampleTrace('other', 0, spec).traceId).not.toBe(one.traceId);
  });

  it('puts the service into the resource and shares equal resources', () => {
    const trace = exampleTrace('r', 0, example('          - { span: a, service: api, resource: { env: prod } }\n          - { span: b, service: api, resource: { env: prod } }\n          - { span: c }\n'));
    const [a, b, c] = trace.spans;
    expect(a?.service).toBe('api');
    expect(Object.fromEntries(a?.resource ?? [])).toEqual({ env: 'prod', 'service.name': 'api' });
    expect(a?.resource).toBe(b?.resource);
    expect(c?.service).toBe('');
  });

  it('keeps kind, status and status message', () => {
    const trace = exampleTrace('r', 0, example('          - { span: a, kind: CLIENT, status: Error, status_message: boom }\n          - { span: b }\n'));
    expect(trace.spans.map((s) => [s.kind, s.status, s.statusMessage])).toEqual([['client', 'error', 'boom'], ['internal', 'unset', '']]);
  });
});
