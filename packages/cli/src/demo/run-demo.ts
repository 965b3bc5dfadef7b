import type { Io } from '../io.ts';
import { emitRequest } from './emit.ts';
import { RULE_FOR_BREAKAGE, SERVICES } from './plan.ts';
import { seededRandom } from './random.ts';
import { planRequest } from './scenarios.ts';
import { type Tally, count, emptyTally, summaryLine } from './tally.ts';
import type { Protocol } from './protocol.ts';
import { type ExportStats, companyTelemetry, createExporter } from './telemetry.ts';
import { demoRulePack, installDemoRules } from './install-rules.ts';

/** Everything `betrace demo` takes, validated. */
export interface DemoOptions {
  endpoint: string;
  protocol: Protocol;
  /** Requests per second. */
  rate: number;
  /** Stop after this long; without it, run until `signal` aborts. */
  durationMs?: number;
  seed: number;
  /** Share of requests that break an invariant, 0..1. */
  violationRate: number;
  api: string;
  apiKey: string | undefined;
  /** Do not install the rule pack (e.g. when sending to a Collector). */
  skipRules: boolean;
  /** Interval of the progress line (default 5 s). */
  summaryEveryMs?: number;
  signal?: AbortSignal;
}

export type DemoResult = { ok: true; tally: Tally; exported: ExportStats } | { ok: false; message: string };

const TICK_MS = 20;

/** Installs the demo rules, then sends simulated requests until the duration ends or `signal` aborts. */
export async function runDemo(o: DemoOptions, io: Io): Promise<DemoResult> {
  if (!o.skipRules) {
    const installed = await installDemoRules({ api: o.api, apiKey: o.apiKey }, demoRulePack());
    if (!installed.ok) return installed;
    if (installed.installed.length > 0) io.out(`demo: installed ${installed.installed.length} rules into ${o.api}: ${installed.installed.join(', ')}`);
    if (installed.present.length > 0) io.out(`demo: rules already in BeTrace, left as they are: ${installed.present.join(', ')}`);
    if (installed.disabled.length > 0) io.err(`demo: warning: ${installed.disabled.join(', ')} ${installed.disabled.length === 1 ? 'is' : 'are'} disabled; their violations will not be recorded`);
  }
  const telemetry = companyTelemetry(await createExporter(o.protocol, o.endpoint));
  const rng = seededRandom(o.seed);
  const tally = emptyTally();
  io.out(`demo: a payments company (${SERVICES.join(', ')}) sends traces to ${o.endpoint} over ${o.protocol}: ${o.rate} requests/s, `
    + `${Math.round(o.violationRate * 100)}% broken on purpose, seed ${o.seed}${o.durationMs === undefined ? '; Ctrl-C to stop' : `, for ${o.durationMs / 1000}s`}`);
  io.out(`demo: the rules that catch the breakages: ${Object.values(RULE_FOR_BREAKAGE).join(', ')}`);

  const started = Date.now();
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      clearInterval(tick);
      clearInterval(progress);
      o.signal?.removeEventListener('abort', stop);
      resolve();
    };
    const tick = setInterval(() => {
      const now = Date.now();
      const elapsed = now - started;
      const due = Math.floor(((o.durationMs === undefined ? elapsed : Math.min(elapsed, o.durationMs)) / 1000) * o.rate);
      while (tally.requests < due) {
        const plan = planRequest(rng, o.violationRate, tally.requests);
        // The request has just finished: it started its own duration ago.
        emitRequest(telemetry.tracers, plan, now - plan.root.endMs);
        count(tally, plan);
      }
      if (o.durationMs !== undefined && elapsed >= o.durationMs) stop();
    }, TICK_MS);
    const progress = setInterval(() => io.out(summaryLine(tally, Date.now() - started, telemetry.stats)), o.summaryEveryMs ?? 5000);
    if (o.signal?.aborted) stop();
    o.signal?.addEventListener('abort', stop);
  });
  await telemetry.shutdown();
  io.out(summaryLine(tally, Date.now() - started, telemetry.stats));
  return { ok: true, tally, exported: telemetry.stats };
}
