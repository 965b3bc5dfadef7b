import { MemoryStores } from '@betrace/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { otlpJson } from '../../testing/otlp-json.ts';
import { buildTestContext } from '../../testing/test-context.ts';
import type { ServerContext } from '../../context.ts';
import { configSchema } from '../../config/schema.ts';
import { WorkerPool, shareOf, workerCount } from './worker-pool.ts';

const open: ServerContext[] = [];

afterEach(async () => {
  for (const ctx of open.splice(0)) await ctx.runtime.close();
});

async function pool(stores = new MemoryStores()) {
  const t = await buildTestContext({ stores, config: { workers: 2, assembly: { quietPeriod: '100ms', idleTimeout: '1s' }, logLevel: 'silent' } });
  open.push(t.ctx);
  expect(t.ctx.runtime).toBeInstanceOf(WorkerPool);
  return t;
}

/** One request holding `traces` traces of two spans each (root `x`, child `y`). */
function body(traces: number, name = 'x'): Uint8Array {
  const spans = Array.from({ length: traces }, (_, i) => {
    const traceId = (i + 1).toString(16).padStart(32, 'c');
    return [
      { traceId, spanId: `${i}`.padStart(16, 'a'), name, service: 'api' },
      { traceId, spanId: `${i}`.padStart(16, 'b'), parentSpanId: `${i}`.padStart(16, 'a'), name: 'y', service: 'api' },
    ];
  }).flat();
  return Buffer.from(JSON.stringify(otlpJson(spans)));
}

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
}

describe('WorkerPool', () => {
  it('spreads the traces of one request over the workers and answers for all of them', async () => {
    const t = await pool();
    expect(await t.ctx.runtime.ingest('http_json', body(40))).toEqual({ kind: 'ok', response: { rejectedSpans: 0, errorMessage: '' } });
    const status = await t.ctx.runtime.status();
    expect(status).toMatchObject({ spansAccepted: 80, buffered: { traces: 40, spans: 80 } });
    // both workers hold some of them (40 random-looking ids: all in one shard has odds of 2^-39)
    const perWorker = await (t.ctx.runtime as WorkerPool)['all']('status', {});
    expect(perWorker.map((s) => s.buffered.traces).every((n) => n > 0)).toBe(true);
  });

  it('evaluates rules created after the start, records their violations once, and shows the traces', async () => {
    const stores = new MemoryStores();
    const t = await pool(stores);
    // not decided early: the verdicts come when the traces complete
    await stores.rules.create({ id: 'x-needs-z', name: 'x needs z', severity: 'low', condition: 'when { x } always { z }' }, 'test');
    await t.ctx.rules.reload();
    await t.ctx.runtime.ingest('http_json', body(10));
    const recorded = await until(async () => {
      await t.ctx.writer.flush();
      const page = await stores.violations.list({ limit: 100 });
      return page.ok && page.value.items.length === 10 ? page.value.items : undefined;
    });
    expect(new Set(recorded.map((v) => v.traceId)).size).toBe(10);
    expect(recorded.every((v) => t.ctx.signer.verify(v))).toBe(true);
    const recent = await t.ctx.runtime.recent(100);
    expect(recent.map((r) => r.traceId).sort()).toEqual(recorded.map((v) => v.traceId).sort());
    const one = await t.ctx.runtime.get(recorded[0]!.traceId);
    expect(one?.spans.map((s) => s.name).sort()).toEqual(['x', 'y']);
    expect(await t.ctx.runtime.get('f'.repeat(32))).toBeUndefined();
    const metrics = await t.ctx.runtime.metricsText();
    expect(metrics).toMatch(/^betrace_spans_evaluated_total 20$/m);
    expect(metrics).toMatch(/^betrace_traces_completed_total\{cause="quiet"\} 10$/m);
  });

  it('answers a broken request as invalid, whichever worker sees it', async () => {
    const t = await pool();
    expect(await t.ctx.runtime.ingest('http_protobuf', Uint8Array.of(0x0a, 0x05, 0x01))).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/not a valid ExportTraceServiceRequest/) });
    expect(await t.ctx.runtime.ingest('http_json', Buffer.from('{"resourceSpans": 3'))).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/OTLP\/JSON/) });
    expect((await t.ctx.runtime.status()).spansAccepted).toBe(0);
  });

  it('pushes back while the writer is full, and accepts nothing of that request', async () => {
    const t = await pool();
    const full = vi.spyOn(t.ctx.writer, 'full', 'get').mockReturnValue(true);
    expect(await t.ctx.runtime.ingest('http_json', body(6))).toMatchObject({ kind: 'throttled' });
    expect((await t.ctx.runtime.status()).spansAccepted).toBe(0);
    full.mockReturnValue(false);
    expect(await t.ctx.runtime.ingest('http_json', body(6))).toMatchObject({ kind: 'ok' });
    expect((await t.ctx.runtime.status()).spansAccepted).toBe(12);
  });

  it('drains every worker at shutdown: buffered traces are evaluated and their records reach the writer', async () => {
    const stores = new MemoryStores();
    const t = await buildTestContext({ stores, config: { workers: 2, assembly: { quietPeriod: '1h', idleTimeout: '1h' }, logLevel: 'silent' } });
    open.push(t.ctx);
    await stores.rules.create({ id: 'no-x', name: 'no x', severity: 'low', condition: 'never { x }' }, 'test');
    await t.ctx.rules.reload();
    await t.ctx.runtime.ingest('http_json', body(8));
    await t.ctx.runtime.drain();
    expect(t.ctx.writer.pending).toBe(8);
    expect(await t.ctx.writer.flushBefore(Date.now() + 1000)).toEqual([]);
  });

  it('replaces a worker that dies; its shard starts again empty and requests go on', async () => {
    const t = await pool();
    const pool_ = t.ctx.runtime as WorkerPool;
    await pool_.ingest('http_json', body(4));
    const worker = pool_['workers'][0]!;
    // a request in flight when the worker goes: retryable, not an internal error
    const [inFlight] = await Promise.all([pool_.ingest('http_json', body(4, 'w')), worker.terminate()]);
    expect(['ok', 'unavailable']).toContain(inFlight.kind);
    const answer = await until(async () => {
      const a = await pool_.ingest('http_json', body(4, 'z'));
      return a.kind === 'ok' ? a : undefined;
    });
    expect(answer).toMatchObject({ kind: 'ok' });
    expect(pool_['workers'][0]).not.toBe(worker);
  });
});

describe('shareOf', () => {
  it('gives each worker its share of the process-wide assembly bounds, and keeps per-trace limits whole', () => {
    const config = configSchema.parse({ assembly: { maxTraces: 1001, maxBufferedBytes: '512MiB', recentTraces: 0, recentBytes: '256MiB', maxSpansPerTrace: 500 } });
    expect(shareOf(config, 2).assembly).toMatchObject({
      maxTraces: 501, maxBufferedBytes: 256 * 2 ** 20, recentTraces: 0, recentBytes: 128 * 2 ** 20, maxSpansPerTrace: 500,
      quietPeriod: config.assembly.quietPeriod,
    });
    expect(shareOf(config, 1).assembly).toEqual(config.assembly);
  });
});

describe('workerCount', () => {
  it('reads auto as one worker per CPU but one, none on one CPU, at most 8', () => {
    expect(workerCount('auto', 1)).toBe(0);
    expect(workerCount('auto', 2)).toBe(1);
    expect(workerCount('auto', 4)).toBe(3);
    expect(workerCount('auto', 32)).toBe(8);
    expect(workerCount(3, 1)).toBe(3);
    expect(workerCount(0, 16)).toBe(0);
  });
});
