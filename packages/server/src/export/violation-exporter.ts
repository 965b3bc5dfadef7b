import { type OutgoingSpan, encodeTraceRequest } from '@betrace/otlp';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { ViolationSink } from '../pipeline/violation-writer.ts';
import { LogThrottle } from '../receivers/log-throttle.ts';

/** Retry tuning; the defaults suit a real endpoint, tests shorten them. */
export interface ExportRetryOptions {
  /** Attempts per batch before it is given up. */
  maxAttempts: number;
  /** First backoff; doubles per attempt, with full jitter. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** How long `close()` keeps trying to deliver what is queued. */
  closeDeadlineMs: number;
}

const DEFAULT_RETRY: ExportRetryOptions = { maxAttempts: 5, baseBackoffMs: 500, maxBackoffMs: 30_000, closeDeadlineMs: 5_000 };
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

type Attempt = { ok: true } | { ok: false; retryable: boolean; reason: 'http_status' | 'network' | 'timeout'; detail: string; retryAfterMs?: number };

/**
 * Sends a `betrace.violation` span per recorded violation to an OTLP/HTTP endpoint (Tempo or a
 * Collector), in the violation's own trace. Never blocks ingestion: `enqueue` appends the span the recorder
 * built to a bounded queue (dropping the oldest when full; the violation stays in the store),
 * and a timer sends batches, retrying transient failures with exponential backoff and jitter.
 */
export class ViolationExporter implements ViolationSink {
  private readonly config: Config['export'];
  private readonly endpoint: string;
  private readonly metrics: Metrics;
  private readonly logger: Logger;
  private readonly log: LogThrottle;
  private readonly retry: ExportRetryOptions;
  private readonly headers: Record<string, string>;
  /** Queue as an array with a moving head, so both ends are O(1). */
  private queue: OutgoingSpan[] = [];
  private head = 0;
  private sending: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  /** Aborts requests and backoff sleeps when `close()` runs out of time. */
  private readonly stop = new AbortController();
  private closing: Promise<void> | undefined;
  private droppedAtShutdown = 0;

  constructor(config: Config['export'], metrics: Metrics, logger: Logger, retry: Partial<ExportRetryOptions> = {}) {
    if (config.endpoint === undefined) throw new Error('ViolationExporter needs export.endpoint');
    this.config = config;
    this.endpoint = config.endpoint;
    this.metrics = metrics;
    this.logger = logger;
    this.log = new LogThrottle(logger);
    this.retry = { ...DEFAULT_RETRY, ...retry };
    this.headers = { ...config.headers, 'Content-Type': 'application/x-protobuf' };
    this.timer = setInterval(() => void this.flush(), config.interval);
    this.timer.unref();
  }

  /** Number of violation spans waiting to be sent. */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Queues a violation's span; O(1), and never throws on I/O. */
  enqueue(span: OutgoingSpan): void {
    if (this.closing !== undefined) {
      this.metrics.exportDropped.inc({ reason: 'shutdown' });
      return;
    }
    this.queue.push(span);
    if (this.queued > this.config.maxQueue) {
      this.head++;
      this.metrics.exportFailures.inc({ reason: 'queue_full' });
      this.metrics.exportDropped.inc({ reason: 'queue_full' });
      this.log.warn('export_queue_full', { maxQueue: this.config.maxQueue, endpoint: this.endpoint },
        'violation export queue is full; dropped the oldest violation span (the violation is still in the store; see betrace_export_dropped_violation_spans_total)');
    }
    this.compact();
    this.metrics.exportQueue.set(this.queued);
    if (this.queued >= this.config.batchSize && this.sending === undefined) setImmediate(() => void this.flush());
  }

  /** Sends everything queued now (in batches); resolves when the queue is empty or a batch was given up. */
  flush(): Promise<void> {
    this.sending ??= this.drain().finally(() => {
      this.sending = undefined;
    });
    return this.sending;
  }

  /** Stops the timer and delivers what it can within the close deadline; the rest is counted as dropped. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.timer);
      const deadline = setTimeout(() => this.stop.abort(), this.retry.closeDeadlineMs);
      try {
        // A flush already running may have stopped at a given-up batch: flush until empty or out of time.
        while (this.queued > 0 && !this.stop.signal.aborted) await this.flush();
        await this.sending;
      } finally {
        clearTimeout(deadline);
      }
      const left = this.queued;
      if (left > 0) this.metrics.exportDropped.inc({ reason: 'shutdown' }, left);
      if (left + this.droppedAtShutdown > 0) {
        this.logger.warn({ dropped: left + this.droppedAtShutdown, endpoint: this.endpoint }, 'shutdown deadline reached with violation spans not exported (the violations are in the store)');
        this.queue = [];
        this.head = 0;
        this.metrics.exportQueue.set(0);
      }
    })();
    return this.closing;
  }

  private async drain(): Promise<void> {
    while (this.queued > 0 && !this.stop.signal.aborted) {
      const batch = this.queue.slice(this.head, this.head + this.config.batchSize);
      this.head += batch.length;
      this.compact();
      this.metrics.exportQueue.set(this.queued);
      if (!(await this.sendBatch(batch))) return;
    }
  }

  /** Sends one batch with retries; false when it was given up (so the caller pauses until the next tick). */
  private async sendBatch(batch: OutgoingSpan[]): Promise<boolean> {
    const body = encodeTraceRequest(batch);
    for (let attempt = 1; ; attempt++) {
      const result = await this.post(body);
      if (result.ok) {
        this.metrics.exported.inc(batch.length);
        return true;
      }
      if (this.stop.signal.aborted) {
        // close() ran out of time: close() logs the total once.
        this.metrics.exportDropped.inc({ reason: 'shutdown' }, batch.length);
        this.droppedAtShutdown += batch.length;
        return false;
      }
      this.metrics.exportFailures.inc({ reason: result.reason });
      const last = !result.retryable || attempt >= this.retry.maxAttempts;
      if (last) {
        const reason = result.retryable ? 'gave_up' : 'rejected';
        if (result.retryable) this.metrics.exportFailures.inc({ reason: 'gave_up' });
        this.metrics.exportDropped.inc({ reason }, batch.length);
        this.log.warn(`export_${reason}`, { endpoint: this.endpoint, spans: batch.length, attempts: attempt, error: result.detail },
          `violation spans not exported (${result.retryable ? `gave up after ${attempt} attempts` : 'the endpoint refused them'}); the violations are in the store`);
        return false;
      }
      const backoff = Math.random() * Math.min(this.retry.maxBackoffMs, this.retry.baseBackoffMs * 2 ** (attempt - 1));
      await sleep(Math.min(result.retryAfterMs ?? backoff, this.retry.maxBackoffMs), this.stop.signal);
    }
  }

  private async post(body: Uint8Array): Promise<Attempt> {
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST', headers: this.headers, body,
        signal: AbortSignal.any([AbortSignal.timeout(this.config.timeout), this.stop.signal]),
      });
      // Read the body either way so the connection can be reused.
      const text = await response.text().catch(() => '');
      if (response.ok) return { ok: true };
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      return {
        ok: false, retryable: RETRYABLE_STATUS.has(response.status), reason: 'http_status',
        detail: `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      };
    } catch (error) {
      const timeout = error instanceof Error && error.name === 'TimeoutError';
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      return { ok: false, retryable: true, reason: timeout ? 'timeout' : 'network', detail: `${String(error)}${cause}` };
    }
  }

  /** Drops the consumed head of the queue once it is large, keeping memory bounded and pushes O(1) amortised. */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

/** Retry-After as milliseconds: delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
