import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { runStoreContract } from '../contract/run-store-contract.ts';
import { createTestDatabase, TEST_POSTGRES_URL } from './postgres-test-database.ts';
import type { TestDatabase } from './postgres-test-database.ts';
import { PostgresStores } from './postgres-stores.ts';

// Needs a PostgreSQL server: `export BETRACE_TEST_POSTGRES_URL=$(scripts/postgres.sh start)`.
// .ci/run installs PostgreSQL and sets the variable, so CI always runs these.
if (!TEST_POSTGRES_URL) console.log('skipping the PostgreSQL store contract: BETRACE_TEST_POSTGRES_URL is not set (see scripts/postgres.sh)');

describe.skipIf(!TEST_POSTGRES_URL)('postgres', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(TEST_POSTGRES_URL!);
  });
  afterAll(async () => {
    await db?.drop();
  });

  // One database per file; each test starts from empty tables.
  runStoreContract('postgres', async (options) => {
    const opened = await PostgresStores.open(db.url, options);
    if (!opened.ok) throw new Error(opened.error.message);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`TRUNCATE rules, rule_versions, audit_log, violations, violation_services, violation_hours, violation_service_hours,
      violation_service_pairs, api_keys RESTART IDENTITY`);
    await client.end();
    return opened.value;
  });
});
