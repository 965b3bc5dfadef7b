import type { Pool } from 'pg';
import type { Migration } from '../sqlite/migrations.ts';
import { fail, ok } from '../result.ts';
import type { Result } from '../result.ts';
import { inTransaction } from './postgres-client.ts';
import { VIOLATION_ROLLUP_BACKFILL } from './postgres-violation-rollups.ts';

/**
 * The PostgreSQL schema, one migration per concept. Columns compared or sorted by the adapters
 * (ids, rule ids, services) use the "C" collation so their order is the binary order the other
 * adapters use whatever the database's locale. Times are double precision milliseconds, like the
 * records' numbers (detectedAt may carry a fraction).
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'rules and audit log',
    sql: `
      CREATE TABLE rules (
        id text COLLATE "C" PRIMARY KEY,
        version integer NOT NULL,
        body text NOT NULL -- the StoredRule as JSON; rules are few, so no column is queried
      );
      CREATE TABLE rule_versions (
        rule_id text COLLATE "C" NOT NULL,
        version integer NOT NULL,
        body text NOT NULL,
        PRIMARY KEY (rule_id, version)
      );
      -- seq orders entries by append, which timestamps cannot (equal ms, clock steps).
      CREATE TABLE audit_log (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id text NOT NULL UNIQUE,
        at double precision NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        target text COLLATE "C" NOT NULL,
        changes text NOT NULL
      );
      CREATE INDEX audit_log_target ON audit_log (target, seq);
    `,
  },
  {
    version: 2,
    name: 'violations',
    sql: `
      -- Text search folds case like JavaScript's toLowerCase (the memory adapter): ICU's root
      -- locale when the server has ICU, otherwise the database collation's lower().
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') THEN
          CREATE FUNCTION betrace_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
            AS 'SELECT lower(t COLLATE "und-x-icu")';
        ELSE
          CREATE FUNCTION betrace_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
            AS 'SELECT lower(t)';
        END IF;
      END $$;
      CREATE TABLE violations (
        id text COLLATE "C" PRIMARY KEY,
        rule_id text COLLATE "C" NOT NULL,
        rule_name text NOT NULL,
        rule_version integer NOT NULL,
        severity text NOT NULL,
        trace_id text COLLATE "C" NOT NULL,
        bound_span_id text COLLATE "C" NOT NULL,
        trigger text NOT NULL,
        offending text NOT NULL,
        reason text NOT NULL,
        detected_at double precision NOT NULL,
        trace_start double precision NOT NULL,
        signature text NOT NULL,
        resolved_at double precision,
        resolution text,
        -- The natural key: the same violation found by another instance or after a restart is this row.
        UNIQUE (rule_id, trace_id, bound_span_id)
      );
      -- Pages are newest first (a backward scan), optionally within one rule or severity. The
      -- INCLUDE columns let the stats queries count a time range from the index alone.
      CREATE INDEX violations_detected ON violations (detected_at, id) INCLUDE (severity, rule_id);
      CREATE INDEX violations_rule_detected ON violations (rule_id, detected_at, id);
      CREATE INDEX violations_severity_detected ON violations (severity, detected_at, id);
      CREATE INDEX violations_trace ON violations (trace_id);
      -- The services a violation cites, with its detection time copied (it never changes), so
      -- "newest first for one service" walks one index instead of sorting every match.
      CREATE TABLE violation_services (
        violation_id text COLLATE "C" NOT NULL REFERENCES violations (id) ON DELETE CASCADE,
        service text COLLATE "C" NOT NULL,
        detected_at double precision NOT NULL,
        PRIMARY KEY (violation_id, service)
      );
      CREATE INDEX violation_services_service ON violation_services (service, detected_at, violation_id);
      CREATE INDEX violation_services_detected ON violation_services (detected_at) INCLUDE (service);
    `,
  },
  {
    version: 3,
    name: 'api keys',
    sql: `
      CREATE TABLE api_keys (
        id text COLLATE "C" PRIMARY KEY,
        name text NOT NULL,
        role text NOT NULL,
        prefix text NOT NULL,
        hash text NOT NULL UNIQUE,
        created_at double precision NOT NULL,
        last_used_at double precision,
        revoked_at double precision
      );
    `,
  },
  {
    version: 4,
    name: 'violation rollups',
    // Counts per hour that the adapter keeps in step with the violations (postgres-violation-rollups.ts
    // describes each table), so stats over days read thousands of rows instead of millions. The
    // counts of an existing database are filled in here, once.
    sql: `
      -- Grouping millions of rows spills to disk at the default 4 MB; this transaction only.
      SET LOCAL work_mem = '256MB';
      -- hourOf() in postgres-violation-rollups.ts: floor, corrected so h * 3600000 <= at exactly.
      CREATE FUNCTION betrace_hour(at double precision) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS 'SELECT (floor(at / 3600000) - CASE WHEN floor(at / 3600000) * 3600000 > at THEN 1 ELSE 0 END)::bigint';
      CREATE TABLE violation_hours (
        hour bigint NOT NULL,
        rule_id text COLLATE "C" NOT NULL,
        severity text COLLATE "C" NOT NULL,
        resolved boolean NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (hour, rule_id, severity, resolved)
      );
      CREATE TABLE violation_service_hours (
        hour bigint NOT NULL,
        service text COLLATE "C" NOT NULL,
        severity text COLLATE "C" NOT NULL,
        resolved boolean NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (hour, service, severity, resolved)
      );
      CREATE TABLE violation_service_pairs (
        service text COLLATE "C" NOT NULL,
        co_service text COLLATE "C" NOT NULL,
        hour bigint NOT NULL,
        rule_id text COLLATE "C" NOT NULL,
        severity text COLLATE "C" NOT NULL,
        resolved boolean NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (service, co_service, hour, rule_id, severity, resolved)
      );
      CREATE INDEX violation_service_pairs_rule ON violation_service_pairs (rule_id, hour);
      ${VIOLATION_ROLLUP_BACKFILL}
      ANALYZE violation_hours, violation_service_hours, violation_service_pairs;
    `,
  },
  {
    version: 5,
    name: 'service rows carry the rule',
    // A rule and a service filter together walked one index and checked the other condition row
    // by row; with the rule id copied (it never changes) one index holds exactly the matches,
    // newest first.
    sql: `
      SET LOCAL work_mem = '256MB';
      SET LOCAL maintenance_work_mem = '256MB';
      ALTER TABLE violation_services ADD COLUMN rule_id text COLLATE "C";
      UPDATE violation_services s SET rule_id = v.rule_id FROM violations v WHERE v.id = s.violation_id;
      ALTER TABLE violation_services ALTER COLUMN rule_id SET NOT NULL;
      CREATE INDEX violation_services_service_rule ON violation_services (service, rule_id, detected_at, violation_id);
      ANALYZE violation_services;
    `,
  },
];

// Any constant works; it only has to be the same in every BeTrace ("betr" in ASCII).
const MIGRATION_LOCK = 0x62657472;

/**
 * Brings the schema up to date. Each migration runs in its own transaction holding a
 * transaction-scoped advisory lock, so instances starting together apply each step exactly once
 * (the second waits, then sees the step recorded). Refuses a schema from a newer BeTrace.
 */
export async function applyPostgresMigrations(pool: Pool, migrations: readonly Migration[] = POSTGRES_MIGRATIONS): Promise<Result<number[]>> {
  const known = new Set(migrations.map((m) => m.version));
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  const done: number[] = [];
  for (;;) {
    const step = await inTransaction(pool, async (c): Promise<Result<number | undefined>> => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await c.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const applied = new Set((await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      const unknown = [...applied].filter((v) => !known.has(v));
      if (unknown.length > 0) {
        return fail('open_failed', `database has schema version ${Math.max(...unknown)}, newer than this BeTrace knows; upgrade BeTrace or use another database`);
      }
      const next = ordered.find((m) => !applied.has(m.version));
      if (!next) return ok(undefined);
      await c.query(next.sql);
      await c.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [next.version, next.name]);
      return ok(next.version);
    });
    if (!step.ok) return step;
    if (step.value === undefined) return ok(done);
    done.push(step.value);
  }
}
