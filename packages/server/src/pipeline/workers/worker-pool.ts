import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type IngestReport, REJECT_REASONS, type Shard, traceShard } from '@betrace/otlp';
import type { Trace } from '@betrace/engine';
import { AggregatorRegistry } from 'prom-client';
import type { Logger } from 'pino';
import type { Config } from '../../config/schema.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import { type IngestAnswer, type Protocol, answerFor } from '../../receivers/ingest-request.ts';
import type { RuleRegistry } from '../../rules/rule-registry.ts';
import type { Signer } from '../../signing/signer.ts';
import type { IngestOutcome } from '../pipeline.ts';
import type { ShardResult, ShardStatus } from '../trace-shard.ts';
import type { PipelineRuntime } from '../runtime.ts';
import type { ViolationWriter } from '../violation-writer.ts';
import type { FromWorker, Question, Questions, ToWorker, WorkerInit } from './protocol.ts';

export interface WorkerPoolParts {
  config: Config;
  rules: RuleRegistry;
  metrics: Metrics;
  logger: Logger;
  signer: Signer;
  writer: ViolationWriter;
  count: number;
}

const ENTRY = new URL('./pipeline-worker.ts', import.meta.url);
const AUTO_MAX = 8;

/**
 * The `workers` setting as a number. `auto`: one worker per CPU the process may use but one — the
 * main thread keeps a CPU busy with the receivers, the store writes and the GC's helpers (on the
 * 2-CPU benchmark machine one worker beats two) — at most 8, and none on a single CPU.
 */
export function workerCount(setting: Config['workers'], cpus = availableParallelism()): number {
  if (setting !== 'auto') return setting;
  return Math.min(Math.max(cpus - 1, 0), AUTO_MAX);
}

/**
 * Traces sharded by trace id across worker threads (`workers: N`). The receivers stay on the main
 * thread and hand every request body to every worker; each worker decodes only the spans of its
 * own traces (the rest are skipped on the wire), assembles and evaluates them, and posts signed
 * violation records back to the main thread's writer, which alone talks to the store. A request is
 * answered once every worker has taken its share. Rule changes are posted to every worker before
 * any later request, so no request sees two rule sets.
 */
export class WorkerPool implements PipelineRuntime {
  private readonly parts: WorkerPoolParts;
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; worker: number }>();
  private nextId = 0;
  private closing = false;
  /** Until every worker has answered once, a worker that exits fails the start instead of being replaced. */
  private started = false;
  private readonly unsubscribe: () => void;
  readonly sharedBodies = true;

  private constructor(parts: WorkerPoolParts) {
    this.parts = parts;
    for (let i = 0; i < parts.count; i++) this.workers.push(this.spawn(i));
    this.unsubscribe = parts.rules.onChange(() => {
      const rules = this.activeRules();
      for (const w of this.workers) post(w, { t: 'rules', rules });
    });
  }

  /** Starts the workers and waits until each one answers (its rules are compiled). */
  static async start(parts: WorkerPoolParts): Promise<WorkerPool> {
    const pool = new WorkerPool(parts);
    try {
      await pool.all('status', {});
    } catch (error) {
      await pool.close();
      throw new Error(`the pipeline worker threads did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    pool.started = true;
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  async ingest(protocol: Protocol, body: Uint8Array): Promise<IngestAnswer> {
    const admit = !this.parts.writer.full;
    // Every worker reads the same bytes: shared memory, so posting the body copies nothing.
    let results: ShardResult[];
    try {
      results = await this.all('ingest', { protocol, body: inSharedMemory(body), admit });
    } catch (error) {
      // a worker died with the request; the others may have taken their share (a retry's
      // duplicates are ignored by span id)
      return { kind: 'unavailable', message: `BeTrace could not finish this request (${error instanceof Error ? error.message : String(error)}); retry it` };
    }
    const broken = results.find((r): r is Extract<ShardResult, { ok: false }> => !r.ok);
    if (broken !== undefined) return { kind: 'invalid', message: broken.message };
    const ok = results as Array<Extract<ShardResult, { ok: true }>>;
    return answerFor(this.parts.metrics, this.parts.config, protocol, mergeReports(ok.map((r) => r.report)), admit ? sumOutcomes(ok) : undefined);
  }

  async recent(limit: number): Promise<Trace[]> {
    const lists = await this.all('recent', { limit });
    return lists.flat().sort((a, b) => b.completedAt - a.completedAt).slice(0, limit).map((r) => r.trace);
  }

  get(traceId: string): Promise<Trace | undefined> {
    return this.ask(traceShard(traceId, this.workers.length), 'trace', { traceId });
  }

  async status(): Promise<ShardStatus> {
    const all = await this.all('status', {});
    const sum = (f: (s: ShardStatus) => number): number => all.reduce((n, s) => n + f(s), 0);
    return {
      buffered: { traces: sum((s) => s.buffered.traces), spans: sum((s) => s.buffered.spans), bytes: sum((s) => s.buffered.bytes) },
      recentTraces: sum((s) => s.recentTraces), spansAccepted: sum((s) => s.spansAccepted), tracesEvaluated: sum((s) => s.tracesEvaluated),
    };
  }

  /** The Prometheus exposition of the main thread's metrics and every worker's, summed. */
  async metricsText(): Promise<string> {
    const own = await this.parts.metrics.registry.getMetricsAsJSON();
    const theirs = await this.all('metrics', {});
    return AggregatorRegistry.aggregate([own, ...theirs]).metrics();
  }

  /** Workers tick on their own timers. */
  tick(): void {}

  /** Shutdown: every worker evaluates what it buffers; its records reach the writer before this resolves. */
  async drain(): Promise<void> {
    await this.all('drain', {});
  }

  async close(): Promise<void> {
    this.closing = true;
    this.unsubscribe();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private activeRules(): WorkerInit['rules'] {
    return this.parts.rules.active.map((r) => r.stored);
  }

  private spawn(index: number): Worker {
    const { config, signer, writer, logger } = this.parts;
    const shard: Shard = { index, count: this.parts.count };
    const init: WorkerInit = { config: shareOf(config, shard.count), shard, rules: this.activeRules(), keys: signer.keys, exportSpans: writer.exports };
    const worker = new Worker(ENTRY, { workerData: init });
    // the receivers and timers keep the process alive; a failed start must not hang on its workers
    worker.unref();
    worker.on('message', (m: FromWorker) => this.received(m));
    worker.on('error', (err) => logger.error({ err, worker: index }, 'a pipeline worker failed'));
    worker.on('exit', (code) => {
      if (this.closing) return;
      for (const [id, p] of this.pending) {
        if (p.worker !== index) continue;
        this.pending.delete(id);
        p.reject(new Error(`pipeline worker ${index} exited with code ${code}`));
      }
      if (!this.started) return;
      // Its buffered traces are gone; the shard starts again empty so ingestion goes on.
      logger.error({ worker: index, code }, 'a pipeline worker exited; the traces it was assembling are lost and a new worker takes its shard');
      this.workers[index] = this.spawn(index);
    });
    return worker;
  }

  private received(m: FromWorker): void {
    if (m.t === 'records') {
      for (const { record, span } of m.added) this.parts.writer.add(record, span);
      for (const r of m.resolved) this.parts.writer.resolve(r.id, r.ruleId, r.at);
      return;
    }
    const p = this.pending.get(m.id);
    if (p === undefined) return;
    this.pending.delete(m.id);
    if (m.t === 'answer') p.resolve(m.answer);
    else p.reject(new Error(`pipeline worker ${p.worker}: ${m.message}`));
  }

  private ask<Q extends Question>(worker: number, q: Q, ask: Questions[Q]['ask']): Promise<Questions[Q]['answer']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, worker });
      post(this.workers[worker]!, { t: 'ask', id, q, ask } as ToWorker);
    });
  }

  private all<Q extends Question>(q: Q, ask: Questions[Q]['ask']): Promise<Array<Questions[Q]['answer']>> {
    return Promise.all(this.workers.map((_, i) => this.ask(i, q, ask)));
  }
}

/**
 * The configuration one of `count` workers runs with: the memory bounds of assembly are the
 * process's, so each worker holds its share of them (traces spread evenly over the shards).
 */
export function shareOf(config: Config, count: number): Config {
  const a = config.assembly;
  const share = (n: number): number => (n === 0 ? 0 : Math.max(1, Math.ceil(n / count)));
  return {
    ...config,
    assembly: {
      ...a, maxTraces: share(a.maxTraces), maxBufferedBytes: share(a.maxBufferedBytes), recentTraces: share(a.recentTraces), recentBytes: share(a.recentBytes),
    },
  };
}

function inSharedMemory(body: Uint8Array): Uint8Array {
  if (body.buffer instanceof SharedArrayBuffer) return body;
  const shared = new Uint8Array(new SharedArrayBuffer(body.byteLength));
  shared.set(body);
  return shared;
}

function post(worker: Worker, message: ToWorker): void {
  worker.postMessage(message);
}

function mergeReports(reports: readonly IngestReport[]): IngestReport {
  const rejected = Object.fromEntries(REJECT_REASONS.map((r) => [r, reports.reduce((n, x) => n + x.rejected[r], 0)])) as IngestReport['rejected'];
  const sum = (f: (r: IngestReport) => number): number => reports.reduce((n, r) => n + f(r), 0);
  return {
    acceptedSpans: sum((r) => r.acceptedSpans), rejectedSpans: sum((r) => r.rejectedSpans), rejected,
    droppedAttributes: sum((r) => r.droppedAttributes), truncatedValues: sum((r) => r.truncatedValues),
    message: [...new Set(reports.map((r) => r.message).filter((m) => m !== ''))].join('; '),
  };
}

function sumOutcomes(results: ReadonlyArray<{ outcome: IngestOutcome | undefined }>): IngestOutcome {
  const out: IngestOutcome = { accepted: 0, duplicates: 0, late: 0, overTraceLimit: 0 };
  for (const { outcome } of results) {
    if (outcome === undefined) continue;
    out.accepted += outcome.accepted;
    out.duplicates += outcome.duplicates;
    out.late += outcome.late;
    out.overTraceLimit += outcome.overTraceLimit;
  }
  return out;
}
