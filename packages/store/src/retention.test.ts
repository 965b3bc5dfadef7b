import { expect, it } from 'vitest';
import { T0, violation } from './contract/fixtures.ts';
import { MemoryViolationStore } from './memory/memory-violation-store.ts';
import { DEFAULT_VIOLATION_RETENTION_MS, startViolationRetention } from './retention.ts';
import type { ViolationStore } from './violation-store.ts';

const DAY = 24 * 60 * 60 * 1000;

it('deletes violations older than 30 days by default, soon after start', async () => {
  expect(DEFAULT_VIOLATION_RETENTION_MS).toBe(30 * DAY);
  const violations = new MemoryViolationStore();
  await violations.record([
    violation({ traceId: 'old', detectedAt: T0 - 30 * DAY - 1 }),
    violation({ traceId: 'kept', detectedAt: T0 - 30 * DAY }),
  ]);
  const sweeps: [number, number][] = [];
  const retention = startViolationRetention({ violations, now: () => T0, onSweep: (n, cutoff) => sweeps.push([n, cutoff]) });
  await new Promise((resolve) => setTimeout(resolve, 20));
  retention.stop();
  expect(sweeps).toEqual([[1, T0 - 30 * DAY]]);
  expect(await violations.get(violation({ traceId: 'kept' }).id)).toBeDefined();
  expect(await violations.get(violation({ traceId: 'old' }).id)).toBeUndefined();
});

it('honours a configured age and reports failures without stopping', async () => {
  const violations = new MemoryViolationStore();
  await violations.record([violation({ detectedAt: T0 - 2 * DAY })]);
  const retention = startViolationRetention({ violations, now: () => T0, maxAgeMs: DAY, intervalMs: DAY });
  expect(await retention.sweep()).toBe(1);
  retention.stop();

  const errors: unknown[] = [];
  const failing: ViolationStore = new (class extends MemoryViolationStore {
    override async deleteDetectedBefore(): Promise<number> {
      throw new Error('disk full');
    }
  })();
  const flaky = startViolationRetention({ violations: failing, onError: (e) => errors.push(e), intervalMs: DAY });
  expect(await flaky.sweep()).toBe(0);
  flaky.stop();
  expect(errors.map(String)).toContain('Error: disk full');
  expect(await flaky.sweep()).toBe(0);
});
