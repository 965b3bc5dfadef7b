import type { Span, TraceAssembler } from '@betrace/engine';
import type { ViolationRecord } from '@betrace/store';
import type { ServerContext } from '../context.ts';
import { type IngestOutcome, Pipeline } from '../pipeline/pipeline.ts';
import { ViolationRecorder } from '../pipeline/violation-recorder.ts';
import { Redactor } from '../redaction/redactor.ts';
import { localShard } from './test-context.ts';

/** The context's pipeline on a hand-cranked clock, writing through the context's writer as the server does. */
export interface ClockedPipeline {
  assembler: TraceAssembler;
  ingest(spans: readonly Span[]): IngestOutcome;
  /** One server tick: evaluate what is complete, then write. */
  tick(): Promise<void>;
  /** Shutdown: evaluate everything, write until the deadline; returns what was not written. */
  drain(deadlineMs?: number): Promise<ViolationRecord[]>;
}

export function clockedPipeline(ctx: ServerContext, now: () => number): ClockedPipeline {
  const { rules, metrics, logger, writer, signer, config } = ctx;
  const assembler = localShard(ctx).assembler;
  const recorder = new ViolationRecorder({ signer, redactor: new Redactor(config.redaction), rules, outbox: writer, exportSpans: false });
  const pipeline = new Pipeline({ assembler, rules, recorder, metrics, logger, now });
  return {
    assembler,
    ingest: (spans) => pipeline.ingest(spans),
    tick: () => {
      pipeline.tick();
      return writer.flush();
    },
    drain: (deadlineMs = 10_000) => {
      pipeline.drain();
      return writer.flushBefore(Date.now() + deadlineMs);
    },
  };
}
