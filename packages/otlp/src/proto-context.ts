import type { Span } from '@betrace/engine';
import type { IngestCounter } from './ingest-counter.ts';
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
  /** Where the decoder is, outside span bodies, for request-level errors. */
  where: string;
}
