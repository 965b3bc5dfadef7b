// Random traces over a small vocabulary, with the malformations real exporters produce.
import type { AttrValue, Span, SpanKind, SpanStatus, Trace } from '../span.ts';
import type { Random } from './prng.ts';
import { span } from './spans.ts';

export const SPAN_NAMES = ['a', 'b', 'c', 'd'] as const;
export const ATTR_KEYS = ['x', 'y', 'k'] as const;
const KINDS: SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUSES: SpanStatus[] = ['unset', 'ok', 'error'];

/** Attribute values that exercise the comparison rules: numeric strings, bools, arrays, bytes. */
export const ATTR_VALUES: readonly AttrValue[] = [
  0, 1, 2, 3, 5, 1.5, -1, '1', '3', '3.0', '1e0', '-1', 'u', 'v', 'U', 'uv', '', true, false, 'true', 'false',
  ['u', 3], [1, 2], [true], new Uint8Array([1]),
];

function attrs(r: Random): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const key of ATTR_KEYS) if (r.chance(0.55)) out[key] = r.pick(ATTR_VALUES);
  return out;
}

/** A trace of fewer than `maxSpans` spans: duplicate ids, missing and self parents, several roots, zero durations. */
export function randomTrace(r: Random, maxSpans = 10): Trace {
  const count = r.int(maxSpans);
  const ids = Array.from({ length: Math.max(count, 1) }, (_, i) => `s${i}`);
  const spans: Span[] = [];
  for (let i = 0; i < count; i++) {
    // Mostly fresh ids; sometimes a duplicate of an earlier one (first arrival must win).
    const id = i > 0 && r.chance(0.12) ? (spans[r.int(spans.length)] as Span).spanId : (ids[i] as string);
    const parentRoll = r.next();
    const parent =
      parentRoll < 0.25 ? undefined : parentRoll < 0.85 ? r.pick(ids) : parentRoll < 0.95 ? 'zz' : id;
    const start = r.int(Math.max(12, count));
    const end = start + r.pick([0, 0, 1, 2, 3, 5, 8]);
    const service = r.pick(['', 'web', 'db', 'web']);
    const resource: Record<string, AttrValue> = r.chance(0.3) ? { x: r.pick(ATTR_VALUES) } : {};
    spans.push(
      span({
        id,
        name: r.chance(0.9) ? r.pick(SPAN_NAMES) : 'e',
        ...(parent === undefined ? {} : { parent }),
        start,
        end,
        kind: r.pick(KINDS),
        status: r.pick(STATUSES),
        statusMessage: r.pick(['', '', 'boom']),
        service,
        attrs: attrs(r),
        resource,
      }),
    );
  }
  return { traceId: 't'.repeat(32), spans };
}
