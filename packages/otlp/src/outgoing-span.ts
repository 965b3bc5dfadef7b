import type { SpanKind, SpanStatus } from '@betrace/engine';

/** A span BeTrace sends (a violation span, child of its witness span), ready for wire encoding. */
export interface OutgoingSpan {
  /** 32 hex digits. */
  traceId: string;
  /** 16 hex digits. */
  spanId: string;
  /** 16 hex digits; absent for a root. */
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  startNs: bigint;
  endNs: bigint;
  /** Integers (safe ones) are sent as `int_value`, other numbers as `double_value`. */
  attributes: Record<string, string | number | boolean>;
  status?: { code: SpanStatus; message?: string };
  resource: Record<string, string>;
}

/** The instrumentation scope outgoing spans are reported under. */
export interface OutgoingScope {
  name: string;
  version?: string;
}

export const BETRACE_SCOPE: OutgoingScope = { name: 'betrace' };

export const KIND_NUMBERS: Record<SpanKind, number> = {
  unspecified: 0,
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
};

export const STATUS_NUMBERS: Record<SpanStatus, number> = { unset: 0, ok: 1, error: 2 };

/** Spans grouped by identical resource, in order of first appearance: one ResourceSpans each. */
export function groupByResource(spans: readonly OutgoingSpan[]): { resource: Record<string, string>; spans: OutgoingSpan[] }[] {
  const groups = new Map<string, { resource: Record<string, string>; spans: OutgoingSpan[] }>();
  for (const span of spans) {
    const key = JSON.stringify(Object.entries(span.resource).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const group = groups.get(key);
    if (group) group.spans.push(span);
    else groups.set(key, { resource: span.resource, spans: [span] });
  }
  return [...groups.values()];
}

/** Bytes of a hex id of `bytes` bytes; a malformed id here is a bug in the caller. */
export function idBytes(hex: string, bytes: number, what: string): Uint8Array {
  if (hex.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(hex)) {
    throw new Error(`${what} must be ${bytes * 2} hex digits, got "${hex}"`);
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
