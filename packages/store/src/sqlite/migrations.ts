import type { DatabaseSync } from 'node:sqlite';
import { fail, ok } from '../result.ts';
import type { Result } from '../result.ts';
import { transaction } from './sqlite-database.ts';

/** One schema step. Applied once, in order, in its own transaction; never edited once released. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The SQLite schema, one migration per concept in the order the concepts arrived. */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'rules and audit log',
    sql: `
      CREATE TABLE rules (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        body TEXT NOT NULL -- the StoredRule as JSON; rules are few, so no column is queried
      ) STRICT;
      CREATE TABLE rule_versions (
        rule_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (rule_id, version)
      ) STRICT;
      -- seq orders entries by append, which timestamps cannot (equal ms, clock steps).
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        at REAL NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        changes TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_target ON audit_log (target, seq);
    `,
  },
  {
    version: 2,
    name: 'violations',
    sql: `
      CREATE TABLE violations (
        id TEXT PRIMARY KEY,
        rule_id TEXT NOT NULL,
        rule_name TEXT NOT NULL,
        rule_version INTEGER NOT NULL,
        severity TEXT NOT NULL,
        trace_id TEXT NOT NULL,
        bound_span_id TEXT NOT NULL,
        trigger TEXT NOT NULL,
        offending TEXT NOT NULL,
        reason TEXT NOT NULL,
        detected_at REAL NOT NULL,
        trace_start REAL NOT NULL,
        signature TEXT NOT NULL,
        resolved_at REAL,
        resolution TEXT,
        UNIQUE (rule_id, trace_id, bound_span_id)
      ) STRICT;
      -- Pages are newest first, optionally within one rule or severity; stats scan a time range.
      CREATE INDEX violations_detected ON violations (detected_at, id);
      CREATE INDEX violations_rule_detected ON violations (rule_id, detected_at, id);
      CREATE INDEX violations_severity_detected ON violations (severity, detected_at, id);
      CREATE INDEX violations_trace ON violations (trace_id);
      -- The services a violation cites, so "by service" filters and counts use an index, not JSON.
      CREATE TABLE violation_services (
        violation_id TEXT NOT NULL REFERENCES violations (id) ON DELETE CASCADE,
        service TEXT NOT NULL,
        PRIMARY KEY (violation_id, service)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX violation_services_service ON violation_services (service, violation_id);
    `,
  },
  {
    version: 3,
    name: 'api keys',
    sql: `
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        prefix TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        created_at REAL NOT NULL,
        last_used_at REAL,
        revoked_at REAL
      ) STRICT;
    `,
  },
];

/**
 * Brings the schema up to date: applies each migration not yet recorded in `schema_migrations`.
 * Refuses a database from a newer BeTrace, whose schema this code does not know.
 */
export function applyMigrations(db: DatabaseSync, migrations: readonly Migration[] = SQLITE_MIGRATIONS): Result<number[]> {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`);
  const applied = new Set(
    db.prepare('SELECT version FROM schema_migrations').all().map((row) => Number(row.version)),
  );
  const known = new Set(migrations.map((m) => m.version));
  const unknown = [...applied].filter((v) => !known.has(v));
  if (unknown.length > 0) {
    return fail('open_failed', `database has schema version ${Math.max(...unknown)}, newer than this BeTrace knows; upgrade BeTrace or use another data directory`);
  }
  const done: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    // Re-check inside the write transaction: another process may have migrated meanwhile.
    transaction(db, () => {
      if (db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version)) return;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
      done.push(m.version);
    });
  }
  return ok(done);
}
