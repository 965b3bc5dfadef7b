// A worker thread holding one shard of the traces (by trace id): it decodes its spans of every
// request, assembles and evaluates them, and posts signed violation records to the main thread,
// which writes them. Started by `WorkerPool`; see its comment for the whole picture.
import { parentPort, workerData } from 'node:worker_threads';
import type { OutgoingSpan } from '@betrace/otlp';
import type { ViolationRecord } from '@betrace/store';
import { createLogger } from '../../logging.ts';
import { Metrics } from '../../metrics/metrics.ts';
import { RuleRegistry } from '../../rules/rule-registry.ts';
import { Signer } from '../../signing/signer.ts';
import { TICK_MS } from '../pipeline.ts';
import { TraceShard } from '../trace-shard.ts';
import type { RecordOutbox } from '../violation-writer.ts';
import type { FromWorker, Questions, ToWorker, WorkerInit } from './protocol.ts';

const port = parentPort!;
const init = workerData as WorkerInit;
const logger = createLogger(init.config.logLevel).child({ worker: init.shard.index });

/** Collects what the recorder decided and posts it to the main thread's writer in one message. */
class PostingOutbox implements RecordOutbox {
  private added: Array<{ record: ViolationRecord; span: OutgoingSpan | undefined }> = [];
  private resolved: Array<{ id: string; ruleId: string; at: number }> = [];

  add(record: ViolationRecord, span: OutgoingSpan | undefined): void {
    this.added.push({ record, span });
  }

  resolve(id: string, ruleId: string, at: number): void {
    this.resolved.push({ id, ruleId, at });
  }

  post(): void {
    if (this.added.length === 0 && this.resolved.length === 0) return;
    send({ t: 'records', added: this.added, resolved: this.resolved });
    this.added = [];
    this.resolved = [];
  }
}

// The main thread's registry reads the store and sends the rules; this one only compiles them.
const rules = new RuleRegistry({ list: () => Promise.resolve([]) }, logger);
rules.replace(init.rules);
const metrics = new Metrics({ defaultMetrics: false });
const outbox = new PostingOutbox();
const shard = new TraceShard({
  config: init.config, rules, metrics, logger, signer: new Signer(init.keys.key, init.keys.previous), outbox,
  exportSpans: init.exportSpans, shard: init.shard,
});

function send(message: FromWorker): void {
  port.postMessage(message);
}

const answers: { [Q in keyof Questions]: (ask: Questions[Q]['ask']) => Questions[Q]['answer'] | Promise<Questions[Q]['answer']> } = {
  ingest: ({ protocol, body, admit }) => shard.ingest(protocol, body, admit),
  status: () => shard.status(),
  recent: ({ limit }) => shard.recent(limit),
  trace: ({ traceId }) => shard.trace(traceId),
  metrics: () => metrics.registry.getMetricsAsJSON(),
  drain: () => {
    clearInterval(timer);
    lastTick = Number.POSITIVE_INFINITY; // no more ticks: everything is evaluated now
    shard.pipeline.drain();
    return null;
  },
};

/**
 * Evaluates what is complete. Driven by a timer and also after messages: a worker flooded with
 * requests drains its message queue before it runs timers, and verdicts must not wait for a lull.
 */
let lastTick = 0;
function tick(): void {
  lastTick = Date.now();
  try {
    shard.pipeline.tick();
  } catch (err) {
    logger.error({ err }, 'pipeline tick failed');
  }
  outbox.post();
}

port.on('message', (message: ToWorker) => {
  if (Date.now() - lastTick >= TICK_MS) tick();
  if (message.t === 'rules') {
    rules.replace(message.rules);
    return;
  }
  const { id } = message;
  try {
    const answer = (answers[message.q] as (ask: unknown) => unknown)(message.ask);
    outbox.post();
    if (answer instanceof Promise) {
      answer.then((a: unknown) => send({ t: 'answer', id, answer: a }), (err: unknown) => send({ t: 'failed', id, message: String(err) }));
    } else {
      send({ t: 'answer', id, answer });
    }
  } catch (err) {
    outbox.post();
    logger.error({ err, question: message.q }, 'a pipeline worker failed to answer');
    send({ t: 'failed', id, message: err instanceof Error ? err.message : String(err) });
  }
});

const timer = setInterval(tick, TICK_MS);
