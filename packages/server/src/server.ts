import { openStore, startViolationRetention } from '@betrace/store';
import { startApiServer } from './api/api-server.ts';
import { consolePlugin } from './api/console.ts';
import { ensureAdminKey } from './auth/bootstrap.ts';
import { buildContext } from './build-context.ts';
import type { Config } from './config/schema.ts';
import type { ServerContext } from './context.ts';
import { ViolationExporter } from './export/violation-exporter.ts';
import { createLogger } from './logging.ts';
import { Metrics } from './metrics/metrics.ts';
import { startOtlpGrpc } from './receivers/otlp-grpc.ts';
import { startOtlpHttp } from './receivers/otlp-http.ts';
import { watchRuleFiles } from './rules/rule-files.ts';
import { watchRuleChanges } from './rules/watch-rule-changes.ts';
import { TICK_MS } from './pipeline/pipeline.ts';
import { WorkerPool } from './pipeline/workers/worker-pool.ts';
import { recoverSpilledViolations, spillViolations } from './pipeline/spill.ts';
import { Signer } from './signing/signer.ts';
import { loadSigningKey } from './signing/signing-key.ts';

/** A running BeTrace: its actual ports (useful with port 0) and a graceful stop. */
export interface RunningServer {
  context: ServerContext;
  ports: { otlpGrpc: number; otlpHttp: number; api: number };
  /** The admin API key created on first start (printed once), if one was created now. */
  adminKey: string | undefined;
  /** Stop receiving, evaluate what is buffered, flush exports, close the store. */
  close(): Promise<void>;
}

/** How long shutdown keeps trying to write the last violations before spilling them to disk. */
const DRAIN_MS = 10_000;

/** Starts BeTrace with a validated configuration. */
export async function startServer(config: Config): Promise<RunningServer> {
  const logger = createLogger(config.logLevel);
  const opened = await openStore(config.store, config.dataDir, {
    onError: (message, err) => logger.warn({ err }, message),
  });
  if (!opened.ok) throw new Error(`cannot open the store: ${opened.error.message}`);
  const stores = opened.value;
  const signing = loadSigningKey(config.signing.key, config.dataDir);
  if (signing.generated) {
    logger.warn({ path: signing.path }, 'generated a new violation signing key; back it up (or set signing.key / BETRACE_SIGNING_KEY): signatures can only be verified with it');
  }
  if (config.auth === 'none') {
    logger.warn('AUTHENTICATION IS DISABLED (--auth=none): every API request acts as an admin. Use this only for local development.');
  }
  const metrics = new Metrics();
  const exporter = config.export.endpoint ? new ViolationExporter(config.export, metrics, logger) : undefined;
  let ready = false;
  const context = await buildContext({
    config, logger, stores, signer: new Signer(signing.key, config.signing.previousKeys), metrics, isReady: () => ready, ...(exporter ? { sink: exporter } : {}),
  });
  const { rules, runtime, writer } = context;
  const recovered = await recoverSpilledViolations(config.dataDir, stores.violations);
  if (recovered.records > 0) logger.info(recovered, 'recorded the violations an earlier shutdown had to write to disk');
  if (recovered.failed.length > 0) logger.error({ files: recovered.failed }, 'could not record violations spilled at an earlier shutdown; the files stay and are tried again at the next start');
  // Other instances sharing the store change rules too (PostgreSQL: LISTEN/NOTIFY).
  const unwatchRules = watchRuleChanges(stores, rules, logger);

  const adminKey = config.auth === 'apikey' ? await ensureAdminKey(stores, logger) : undefined;
  const ruleFiles = config.rulesDir ? await watchRuleFiles(context, config.rulesDir) : undefined;
  const api = await startApiServer(context, { plugins: [consolePlugin()] });
  const http = await startOtlpHttp(context);
  const grpc = await startOtlpGrpc(context);
  // Evaluation goes on while a slow store is written to: `flush` joins the write in progress.
  const timer = setInterval(() => {
    try {
      runtime.tick();
    } catch (err) {
      logger.error({ err }, 'pipeline tick failed');
    }
    writer.flush().catch((err: unknown) => logger.error({ err }, 'writing violations failed'));
  }, TICK_MS);
  const retention = startViolationRetention({
    violations: stores.violations, maxAgeMs: config.retention.violations,
    onSweep: (deleted, cutoff) => logger.info({ deleted, cutoff: new Date(cutoff).toISOString() }, 'retention deleted old violations'),
    onError: (err) => {
      metrics.storeErrors.inc({ operation: 'retention' });
      logger.error({ err }, 'retention sweep failed; the next sweep runs as usual');
    },
  });
  ready = true;
  logger.info({ otlpGrpc: grpc.port, otlpHttp: http.port, api: api.port, dataDir: config.dataDir, rules: rules.active.length, workers: runtime instanceof WorkerPool ? runtime.size : 0 }, 'BeTrace is ready');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      ready = false;
      logger.info('shutting down: receivers stop, buffered traces are evaluated, exports flushed');
      await Promise.allSettled([grpc.close(), http.close()]);
      clearInterval(timer);
      retention.stop();
      ruleFiles?.close();
      unwatchRules();
      await runtime.drain();
      const unwritten = await writer.flushBefore(Date.now() + DRAIN_MS);
      await runtime.close();
      if (unwritten.length > 0) {
        const path = spillViolations(config.dataDir, unwritten, Date.now());
        logger.error({ count: unwritten.length, path }, 'the store did not take every violation before shutdown; they were written to a file and are recorded at the next start');
      }
      await exporter?.close();
      await api.close();
      await stores.close();
      logger.info('stopped');
    })();
    return closing;
  };
  return { context, ports: { otlpGrpc: grpc.port, otlpHttp: http.port, api: api.port }, adminKey, close };
}
