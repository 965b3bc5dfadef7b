/**
 * The engine's own span model. Receivers (OTLP protobuf/JSON, hand-written examples) convert into
 * it; nothing in the engine knows OTLP shapes.
 */

/** An attribute value keeps its OTLP type. Int64 values are held as JS numbers. */
export type AttrValue = string | number | boolean | Uint8Array | readonly AttrValue[];

/** Attribute values by key. Resource attribute maps are shared by every span of one resource. */
export type Attributes = ReadonlyMap<string, AttrValue>;

export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export type SpanStatus = 'unset' | 'ok' | 'error';

/** One span. Times are nanoseconds since the Unix epoch held as float64; `duration` is exact. */
export interface Span {
  /** Lower-case hex, 32 characters. */
  traceId: string;
  /** Lower-case hex, 16 characters. */
  spanId: string;
  /** Lower-case hex, or `undefined` for a span without a parent (a root). */
  parentSpanId: string | undefined;
  name: string;
  kind: SpanKind;
  status: SpanStatus;
  /** Empty when the span has no status message. */
  statusMessage: string;
  start: number;
  end: number;
  /** `end - start` in nanoseconds, computed before rounding so short spans stay exact. */
  duration: number;
  /** The resource's `service.name`, or empty when it has none. */
  service: string;
  attributes: Attributes;
  resource: Attributes;
}

/** All spans that share one trace id, in arrival order (duplicates allowed; the engine dedupes). */
export interface Trace {
  traceId: string;
  spans: readonly Span[];
}
