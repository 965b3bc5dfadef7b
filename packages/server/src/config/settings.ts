/** A setting that can also be given as a flag and an environment variable. */
export interface Setting {
  /** Path in the config file, e.g. `assembly.quietPeriod`. */
  path: string;
  flag: string;
  env: string;
  help: string;
}

/** The settings reachable from flags and `BETRACE_*` variables; everything is reachable from the file. */
export const SETTINGS: readonly Setting[] = [
  { path: 'dataDir', flag: 'data-dir', env: 'BETRACE_DATA_DIR', help: 'directory for the embedded store, signing key and admin key (default ./data)' },
  { path: 'store', flag: 'store', env: 'BETRACE_STORE_URL', help: 'store URL: sqlite (default, in the data dir), postgres://user:password@host:5432/db (several instances) or memory:' },
  { path: 'rulesDir', flag: 'rules', env: 'BETRACE_RULES_DIR', help: 'load rule files (*.yaml) from this directory and watch it for changes' },
  { path: 'auth', flag: 'auth', env: 'BETRACE_AUTH', help: 'apikey (default) or none (local development only: every request is an admin)' },
  { path: 'listen.host', flag: 'host', env: 'BETRACE_HOST', help: 'address to listen on (default 0.0.0.0)' },
  { path: 'listen.otlpGrpcPort', flag: 'otlp-grpc-port', env: 'BETRACE_OTLP_GRPC_PORT', help: 'OTLP/gRPC port (default 4317)' },
  { path: 'listen.otlpHttpPort', flag: 'otlp-http-port', env: 'BETRACE_OTLP_HTTP_PORT', help: 'OTLP/HTTP port (default 4318)' },
  { path: 'listen.apiPort', flag: 'api-port', env: 'BETRACE_API_PORT', help: 'REST API, console and /metrics port (default 12011)' },
  { path: 'assembly.quietPeriod', flag: 'quiet-period', env: 'BETRACE_QUIET_PERIOD', help: 'a trace with its root is complete after this long without spans (default 2s)' },
  { path: 'assembly.idleTimeout', flag: 'idle-timeout', env: 'BETRACE_IDLE_TIMEOUT', help: 'a trace without root is complete after this long without spans (default 10s)' },
  { path: 'assembly.maxTraceAge', flag: 'max-trace-age', env: 'BETRACE_MAX_TRACE_AGE', help: 'any trace is complete this long after its first span (default 60s)' },
  { path: 'assembly.lateWindow', flag: 'late-window', env: 'BETRACE_LATE_WINDOW', help: 'late spans within this window re-evaluate their trace (default 5m)' },
  { path: 'assembly.maxBufferedBytes', flag: 'max-buffered-bytes', env: 'BETRACE_MAX_BUFFERED_BYTES', help: 'memory budget for buffered spans (default 512MiB)' },
  { path: 'workers', flag: 'workers', env: 'BETRACE_WORKERS', help: 'worker threads that decode, assemble and evaluate traces, sharded by trace id: auto (default: one per CPU but one) or a number (0: all on the main thread)' },
  { path: 'signing.key', flag: 'signing-key', env: 'BETRACE_SIGNING_KEY', help: 'HMAC key for violation signatures (default: generated into the data dir)' },
  { path: 'export.endpoint', flag: 'export-endpoint', env: 'BETRACE_EXPORT_ENDPOINT', help: 'send violation spans to this OTLP/HTTP traces URL (Tempo or a Collector)' },
  { path: 'retention.violations', flag: 'retention', env: 'BETRACE_RETENTION', help: 'keep violations this long (default 30d)' },
  { path: 'logLevel', flag: 'log-level', env: 'BETRACE_LOG_LEVEL', help: 'fatal, error, warn, info (default), debug, trace or silent' },
];
