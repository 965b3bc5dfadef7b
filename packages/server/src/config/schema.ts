import { z } from 'zod';
import { parseBytes, parseDurationMs } from './duration.ts';

const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDurationMs(v);
  if (ms === undefined) ctx.addIssue({ code: 'custom', message: `expected a duration like 500ms, 2s, 5m or 30d, got ${JSON.stringify(v)}` });
  return ms ?? 0;
});

const bytes = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = parseBytes(v);
  if (n === undefined) ctx.addIssue({ code: 'custom', message: `expected a size like 16KiB, 512MiB or 1GiB, got ${JSON.stringify(v)}` });
  return n ?? 0;
});

const count = (min: number) => z.coerce.number({ message: 'expected a whole number' }).int('expected a whole number').min(min);
const port = z.coerce.number({ message: 'expected a port number' }).int().min(0, 'expected a port from 0 to 65535').max(65535, 'expected a port from 0 to 65535');

/** Every setting, with its default. The YAML config file has exactly this shape. */
export const configSchema = z.strictObject({
  dataDir: z.string().min(1).default('./data'),
  /** `sqlite` (default, in dataDir), `memory:` (tests), `postgres://…` (shared by several instances). */
  store: z.string().min(1).optional(),
  rulesDir: z.string().min(1).optional(),
  auth: z.enum(['apikey', 'none']).default('apikey'),
  listen: z.strictObject({
    host: z.string().default('0.0.0.0'),
    otlpGrpcPort: port.default(4317),
    otlpHttpPort: port.default(4318),
    apiPort: port.default(12011),
  }).prefault({}),
  assembly: z.strictObject({
    quietPeriod: duration.default(2_000),
    idleTimeout: duration.default(10_000),
    maxTraceAge: duration.default(60_000),
    maxTraces: count(1).default(100_000),
    maxSpansPerTrace: count(1).default(10_000),
    maxBufferedBytes: bytes.default(512 * 1024 ** 2),
    lateWindow: duration.default(300_000),
    recentTraces: count(0).default(10_000),
    recentTraceAge: duration.default(900_000),
    recentBytes: bytes.default(256 * 1024 ** 2),
    /**
     * `read`: the protobuf receivers keep only the span attributes some enabled rule reads (the
     * rest are skipped unread: faster, and less memory per buffered span); `all`: keep every
     * attribute, e.g. for the trace view.
     */
    attributes: z.enum(['read', 'all']).default('read'),
  }).prefault({}),
  /**
   * Worker threads that decode, assemble and evaluate traces, each holding the traces whose id falls
   * in its shard; 0 does it all on the main thread; `auto` (default): one per CPU the process may
   * use but one (at most 8), none on a single CPU. See docs/operations.md.
   */
  workers: z.union([z.literal('auto'), count(0).max(64, 'at most 64 workers')], { message: 'expected auto or a whole number from 0 to 64' }).default('auto'),
  limits: z.strictObject({
    maxBodyBytes: bytes.default(16 * 1024 ** 2),
    maxSpansPerRequest: count(1).default(10_000),
    maxAttributesPerSpan: count(1).default(128),
    maxAttributeValueLength: bytes.default(16 * 1024),
    /** Violations waiting for the store; past it OTLP answers "retry later" (429 / RESOURCE_EXHAUSTED). */
    maxPendingViolations: count(1).default(50_000),
  }).prefault({}),
  signing: z.strictObject({
    /** HMAC key; without it a key is generated into `<dataDir>/signing.key` on first start. */
    key: z.string().min(16, 'the signing key must be at least 16 characters').optional(),
    /** Keys used before a rotation: records signed with them still verify (nothing is signed with them). */
    previousKeys: z.array(z.string().min(16, 'a signing key must be at least 16 characters')).default([]),
  }).prefault({}),
  redaction: z.strictObject({
    /** Attribute keys never stored with a violation (case-insensitive; `*` wildcard). */
    denyKeys: z.array(z.string()).default(['*password*', '*secret*', '*access_token*', '*refresh_token*', '*auth_token*', '*authorization*', '*cookie*', '*api_key*', '*apikey*', '*private_key*']),
    /** When non-empty, only these keys are stored (after denyKeys). */
    allowKeys: z.array(z.string()).default([]),
    /** Value patterns masked inside stored values. */
    patterns: z.array(z.enum(['email', 'card', 'national_id', 'bearer'])).default(['email', 'card', 'national_id', 'bearer']),
  }).prefault({}),
  export: z.strictObject({
    /** OTLP/HTTP traces endpoint (Tempo or a Collector), e.g. http://tempo:4318/v1/traces. */
    endpoint: z.url({ message: 'expected an http(s) URL like http://tempo:4318/v1/traces' }).optional(),
    headers: z.record(z.string(), z.string()).default({}),
    batchSize: count(1).default(256),
    interval: duration.default(1_000),
    maxQueue: count(1).default(10_000),
    timeout: duration.default(10_000),
  }).prefault({}),
  retention: z.strictObject({
    violations: duration.default(30 * 86_400_000),
  }).prefault({}),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The validated configuration: durations in milliseconds, sizes in bytes. */
export type Config = z.output<typeof configSchema>;
