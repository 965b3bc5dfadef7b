import { createHash } from 'node:crypto';
import type { AttrValue, Span, Trace } from '@betrace/engine';
import type { ExampleSpec } from './rule-spec.ts';

const MS = 1_000_000n;

/**
 * Builds the engine trace an example describes. Ids are derived from the rule id and the example
 * and entry indexes, so output is the same on every run. Times are offsets from 0 (the epoch), which
 * keeps them exact as float64. Without `start` entry i starts at i ms; without `duration` it lasts 1 ms.
 */
export function exampleTrace(ruleId: string, exampleIndex: number, example: ExampleSpec): Trace {
  const traceId = hexId(`${ruleId}\0${exampleIndex}`, 32);
  const spanIds = example.trace.map((_, i) => hexId(`${ruleId}\0${exampleIndex}\0${i}`, 16));
  const resources = new Map<string, Map<string, AttrValue>>();
  const spans = example.trace.map((entry, i): Span => {
    const start = entry.start ?? BigInt(i) * MS;
    const duration = entry.duration ?? MS;
    const resource = sharedResource(resources, entry.service, entry.resource);
    const name = resource.get('service.name');
    return {
      traceId,
      spanId: spanIds[i] ?? '',
      parentSpanId: entry.parentIndex === undefined ? undefined : spanIds[entry.parentIndex],
      name: entry.span,
      kind: entry.kind,
      status: entry.status,
      statusMessage: entry.statusMessage,
      start: Number(start),
      end: Number(start + duration),
      duration: Number(duration),
      service: typeof name === 'string' ? name : '',
      attributes: entry.attributes,
      resource,
    };
  });
  return { traceId, spans };
}

/** Entries with the same service and resource attributes share one resource map, as in OTLP. */
function sharedResource(
  cache: Map<string, Map<string, AttrValue>>,
  service: string | undefined,
  attributes: Map<string, AttrValue>,
): Map<string, AttrValue> {
  const resource = new Map(attributes);
  if (service !== undefined) resource.set('service.name', service);
  const key = JSON.stringify([...resource].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const existing = cache.get(key);
  if (existing) return existing;
  cache.set(key, resource);
  return resource;
}

/** A deterministic, non-zero lower-case hex id of `length` digits. */
function hexId(seed: string, length: number): string {
  const hex = createHash('sha256').update(seed).digest('hex').slice(0, length);
  return /^0+$/.test(hex) ? `${'0'.repeat(length - 1)}1` : hex;
}
