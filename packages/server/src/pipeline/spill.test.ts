import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryViolationStore, type ViolationRecord } from '@betrace/store';
import { describe, expect, it } from 'vitest';
import { recoverSpilledViolations, spillViolations } from './spill.ts';

const record = (id: string): ViolationRecord => ({
  id, ruleId: 'r', ruleName: 'R', ruleVersion: 1, severity: 'high', traceId: 'a'.repeat(32), boundSpanId: id,
  trigger: [], offending: [], reason: 'missing: x', detectedAt: 1, traceStart: 0, signature: 'ab',
});

describe('spilled violations', () => {
  it('survive a shutdown without the store and are recorded at the next start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'betrace-spill-'));
    spillViolations(dir, [record('1'), record('2')], Date.UTC(2026, 0, 1));
    const store = new MemoryViolationStore();
    expect(await recoverSpilledViolations(dir, store)).toEqual({ files: 1, records: 2, failed: [] });
    const page = await store.list({});
    expect(page.ok && page.value.items.map((v) => v.id).sort()).toEqual(['1', '2']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps the file when the store still fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'betrace-spill-'));
    const path = spillViolations(dir, [record('1')], 0);
    const store = new MemoryViolationStore();
    store.record = () => Promise.reject(new Error('down'));
    expect(await recoverSpilledViolations(dir, store)).toEqual({ files: 0, records: 0, failed: [path] });
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('does nothing when the data dir has no spill files or does not exist', async () => {
    expect(await recoverSpilledViolations('/nonexistent/betrace', new MemoryViolationStore())).toEqual({ files: 0, records: 0, failed: [] });
  });
});
