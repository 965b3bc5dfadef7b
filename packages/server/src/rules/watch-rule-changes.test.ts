import { MemoryStores, type Stores } from '@betrace/store';
import { expect, it } from 'vitest';
import { buildTestContext } from '../testing/test-context.ts';
import { watchRuleChanges } from './watch-rule-changes.ts';

it('reloads once per burst of change notifications, and not after stopping', async () => {
  const stores: Stores = new MemoryStores();
  let notify = (): void => {};
  let watching = false;
  stores.watchRules = (listener: () => void) => {
    notify = listener;
    watching = true;
    return () => void (watching = false);
  };
  const { ctx } = await buildTestContext({ stores });
  let reloads = 0;
  ctx.rules.onChange(() => void reloads++);
  const stop = watchRuleChanges(stores, ctx.rules, ctx.logger, 10);
  // Another instance creates a rule: the store changed behind this registry's back.
  await stores.rules.create({ id: 'r', name: 'R', severity: 'high', condition: 'when { a } always { b }' }, 'other-instance');
  notify();
  notify();
  notify();
  await expect.poll(() => ctx.rules.get('r')?.stored.version).toBe(1);
  expect(reloads).toBe(1);
  stop();
  expect(watching).toBe(false);
  notify();
  await new Promise((r) => setTimeout(r, 30));
  expect(reloads).toBe(1);
});

it('does nothing for a store without a change feed', async () => {
  const stores = new MemoryStores();
  const { ctx } = await buildTestContext({ stores });
  expect(() => watchRuleChanges(stores, ctx.rules, ctx.logger)()).not.toThrow();
});
