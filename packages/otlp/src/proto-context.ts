import type { Span } from '@betrace/engine';
import type { FieldFilter } from './field-filter.ts';
import type { IngestCounter } from './ingest-counter.ts';
import type { Shard } from './shard.ts';
import type { WireReader } from './wire-reader.ts';
import type { StringCache } from './wire-text.ts';

/** The state one protobuf decode threads through its helpers. */
export interface ProtoContext {
  r: WireReader;
  counter: IngestCounter;
  strings: StringCache;
  maxAttributes: number;
  maxValueBytes: number;
  out: Span[];
  /** Span attributes to keep; `undefined` keeps all. */
  filter: FieldFilter | undefined;
  /** Recently decoded trace ids by a hash of their bytes: a trace's spans share one string. */
  traceIds: TraceIdCache;
  /** Where the decoder is, outside span bodies, for request-level errors. */
  where: string;
  /** The spans to decode; `undefined` decodes all. */
  shard: Shard | undefined;
  /** With a shard: the shard of the current ResourceSpans' first span, -1 before it. */
  firstOwner: number;
}

/** A direct-mapped cache of hex trace ids by their 16 bytes. */
export interface TraceIdCache {
  bytes: Uint8Array;
  ids: string[];
}
