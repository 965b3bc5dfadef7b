// Test support for the receivers: the shared test context with receiver-friendly defaults (ports 0,
// traces kept long enough to be inspected) and a readiness switch. Not imported by production code.
import type { ServerContext } from '../context.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { buildTestContext } from '../testing/test-context.ts';

/** A ServerContext for receiver tests; `ready` can be flipped to test shutdown answers. */
export interface ReceiverTestContext extends ServerContext {
  ready: boolean;
}

/** Builds a context from a partial YAML-shaped config (listen ports default to 0 on 127.0.0.1). */
export async function receiverTestContext(overrides: Record<string, unknown> = {}): Promise<ReceiverTestContext> {
  const { ctx, setReady } = await buildTestContext({
    config: {
      listen: { host: '127.0.0.1', otlpGrpcPort: 0, otlpHttpPort: 0, apiPort: 0 },
      // every attribute kept, so decoding is checked whole; `read` (the default) has its own tests
      assembly: { quietPeriod: '60s', idleTimeout: '60s', maxTraceAge: '10m', attributes: 'all' },
      logLevel: 'silent',
      ...overrides,
    },
  });
  // an accessor, so flipping `ctx.ready` flips what the receivers see through `isReady()`
  let ready = true;
  return Object.defineProperty(ctx, 'ready', {
    get: () => ready,
    set: (value: boolean) => {
      ready = value;
      setReady(value);
    },
  }) as ReceiverTestContext;
}

/** The value of one counter series, e.g. `counter(ctx, 'betrace_spans_received_total', { protocol: 'grpc' })`. */
export async function counter(ctx: { metrics: Metrics }, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = ctx.metrics.registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  let sum = 0;
  for (const v of values) {
    if (Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want)) sum += v.value;
  }
  return sum;
}
