import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runStoreContract } from '../contract/run-store-contract.ts';
import { SqliteStores } from './sqlite-stores.ts';

const dir = mkdtempSync(join(tmpdir(), 'betrace-store-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreContract('sqlite', async (options) => {
  const opened = SqliteStores.open(join(dir, `contract-${n++}.db`), options);
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.value;
});
