export type { Result, StoreError, StoreErrorCode } from './result.ts';
export type { JsonValue } from './json-value.ts';
export type { ViolationRecord, WitnessSpan } from './violation-record.ts';
export { violationId } from './violation-record.ts';
export type {
  RecordOutcome,
  ViolationBucket,
  ViolationFilter,
  ViolationPage,
  ViolationQuery,
  ViolationStats,
  ViolationStatsQuery,
  ViolationStatus,
  ViolationStore,
} from './violation-store.ts';
export { MAX_STATS_BUCKETS, SEVERITIES } from './violation-stats.ts';
export type { NewRule, RuleChanges, RuleSource, RuleStore, StoredRule, WriteOptions } from './rule-store.ts';
export type { AuditAction, AuditEntry, AuditLog, AuditPage, AuditQuery, FieldChange } from './audit-log.ts';
export type { ApiKeyRecord, ApiKeyRole, ApiKeyStore, NewApiKey } from './api-key-store.ts';
export { hashApiKey } from './api-key-store.ts';
export type { StoreOptions, Stores } from './stores.ts';
export { openStore, SQLITE_FILE_NAME } from './open-store.ts';
export { MemoryStores } from './memory/memory-stores.ts';
export { MemoryApiKeyStore } from './memory/memory-api-key-store.ts';
export { MemoryAuditLog } from './memory/memory-audit-log.ts';
export { MemoryRuleStore } from './memory/memory-rule-store.ts';
export { MemoryViolationStore } from './memory/memory-violation-store.ts';
export { SqliteStores } from './sqlite/sqlite-stores.ts';
export { SqliteApiKeyStore } from './sqlite/sqlite-api-key-store.ts';
export { SqliteAuditLog } from './sqlite/sqlite-audit-log.ts';
export { SqliteRuleStore } from './sqlite/sqlite-rule-store.ts';
export { SqliteViolationStore } from './sqlite/sqlite-violation-store.ts';
export type { Migration } from './sqlite/migrations.ts';
export { SQLITE_MIGRATIONS } from './sqlite/migrations.ts';
export { PostgresStores } from './postgres/postgres-stores.ts';
export type { PostgresStoreOptions } from './postgres/postgres-stores.ts';
export { PostgresApiKeyStore } from './postgres/postgres-api-key-store.ts';
export { PostgresAuditLog } from './postgres/postgres-audit-log.ts';
export { PostgresRuleStore } from './postgres/postgres-rule-store.ts';
export { PostgresViolationStore } from './postgres/postgres-violation-store.ts';
export { POSTGRES_MIGRATIONS } from './postgres/postgres-migrations.ts';
export { VIOLATION_ROLLUP_BACKFILL } from './postgres/postgres-violation-rollups.ts';
export { redactUrl } from './postgres/postgres-client.ts';
export type { Retention, RetentionOptions } from './retention.ts';
export { DEFAULT_VIOLATION_RETENTION_MS, startViolationRetention } from './retention.ts';
