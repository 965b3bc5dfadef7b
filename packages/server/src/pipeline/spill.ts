import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ViolationRecord, ViolationStore } from '@betrace/store';

const PREFIX = 'unwritten-violations-';

/**
 * Writes violations the store could not take before shutdown to `<dir>/unwritten-violations-*.jsonl`
 * (one signed record per line), so a store outage at shutdown loses nothing. Returns the file path.
 */
export function spillViolations(dir: string, records: readonly ViolationRecord[], now: number): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${PREFIX}${new Date(now).toISOString().replace(/[:.]/g, '-')}.jsonl`);
  writeFileSync(path, records.map((r) => JSON.stringify(r)).join('\n') + '\n', { mode: 0o600 });
  return path;
}

/**
 * Records what an earlier shutdown spilled, then deletes each file it fully stored (recording is
 * idempotent, so a crash half-way through is harmless). Files that fail stay for the next start.
 */
export async function recoverSpilledViolations(dir: string, store: ViolationStore): Promise<{ files: number; records: number; failed: string[] }> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(PREFIX) && n.endsWith('.jsonl')).sort();
  } catch {
    return { files: 0, records: 0, failed: [] };
  }
  let records = 0;
  const failed: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      const batch = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ViolationRecord);
      await store.record(batch);
      records += batch.length;
      rmSync(path);
    } catch {
      failed.push(path);
    }
  }
  return { files: names.length - failed.length, records, failed };
}
