import { afterEach, beforeEach, describe } from 'vitest';
import type { StoreOptions, Stores } from '../stores.ts';
import { apiKeyContract } from './api-key-contract.ts';
import { auditContract } from './audit-contract.ts';
import { T0, testClock } from './fixtures.ts';
import type { ContractContext } from './fixtures.ts';
import { ruleContract } from './rule-contract.ts';
import { violationContract } from './violation-contract.ts';
import { violationFilterContract } from './violation-filter-contract.ts';
import { violationPageContract } from './violation-page-contract.ts';
import { violationStatsContract } from './violation-stats-contract.ts';
import { violationStatsWindowContract } from './violation-stats-window-contract.ts';

/**
 * The behaviour every adapter must have. `open` returns fresh, empty stores for each test and must
 * use the given clock for the times the stores stamp (createdAt, updatedAt, audit `at`).
 */
export function runStoreContract(name: string, open: (options: Required<Pick<StoreOptions, 'now'>>) => Promise<Stores>): void {
  describe(`${name} store contract`, () => {
    let context: ContractContext | undefined;
    const ctx = (): ContractContext => {
      if (!context) throw new Error('contract test ran without stores');
      return context;
    };

    beforeEach(async () => {
      const clock = testClock(T0);
      context = { stores: await open({ now: clock.now }), clock };
    });
    afterEach(async () => {
      await context?.stores.close();
      context = undefined;
    });

    describe('violations', () => violationContract(ctx));
    describe('violation pages', () => violationPageContract(ctx));
    describe('violation filters', () => violationFilterContract(ctx));
    describe('violation stats', () => violationStatsContract(ctx));
    describe('violation stats over many hours', () => violationStatsWindowContract(ctx));
    describe('rules', () => ruleContract(ctx));
    describe('audit log', () => auditContract(ctx));
    describe('api keys', () => apiKeyContract(ctx));
  });
}
