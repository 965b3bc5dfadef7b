import { expect, it } from 'vitest';
import type { NewRule } from '../rule-store.ts';
import { errorCode, must, T0 } from './fixtures.ts';
import type { ContractContext } from './fixtures.ts';

const RULE: NewRule = { id: 'pay-auth', name: 'Payment needs auth', severity: 'critical', condition: 'when { payment } always { auth }' };

/** Rules: versions, history, optimistic concurrency, deletion; audit checks live in audit-contract. */
export function ruleContract(ctx: () => ContractContext): void {
  it('creates version 1 with defaults and the clock', async () => {
    const { stores, clock } = ctx();
    clock.set(T0 + 1);
    const rule = must(await stores.rules.create(RULE, 'alice'));
    expect(rule).toEqual({
      ...RULE, description: '', tags: [], enabled: true, source: 'api',
      version: 1, createdAt: T0 + 1, updatedAt: T0 + 1, updatedBy: 'alice',
    });
    expect(await stores.rules.get('pay-auth')).toEqual(rule);
    expect(await stores.rules.get('nope')).toBeUndefined();
    expect(await stores.rules.history('pay-auth')).toEqual([rule]);
  });

  it('keeps every field given on create', async () => {
    const { stores } = ctx();
    const full: NewRule = { ...RULE, description: 'why', tags: ['pci', 'payments'], enabled: false, source: 'file' };
    expect(must(await stores.rules.create(full, 'file:rules/pay.yaml'))).toMatchObject(full);
  });

  it('refuses a duplicate id and invalid fields', async () => {
    const { stores } = ctx();
    must(await stores.rules.create(RULE, 'alice'));
    expect(errorCode(await stores.rules.create({ ...RULE, name: 'other' }, 'bob'))).toBe('duplicate');
    expect((await stores.rules.get('pay-auth'))?.name).toBe(RULE.name);
    expect(errorCode(await stores.rules.create({ ...RULE, id: ' ' }, 'bob'))).toBe('invalid');
    expect(errorCode(await stores.rules.create({ ...RULE, id: 'x', severity: 'urgent' as never }, 'bob'))).toBe('invalid');
    expect(errorCode(await stores.rules.update('pay-auth', { severity: 'urgent' as never }, 'bob'))).toBe('invalid');
  });

  it('lists current rules by id', async () => {
    const { stores } = ctx();
    for (const id of ['b', 'c', 'a']) must(await stores.rules.create({ ...RULE, id }, 'alice'));
    expect((await stores.rules.list()).map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });

  it('updates to a new version and keeps the old one in history', async () => {
    const { stores, clock } = ctx();
    clock.set(T0);
    const v1 = must(await stores.rules.create(RULE, 'alice'));
    clock.set(T0 + 100);
    const v2 = must(await stores.rules.update('pay-auth', { condition: 'when { payment } always { auth2 }', tags: ['x'] }, 'bob'));
    expect(v2).toEqual({ ...v1, condition: 'when { payment } always { auth2 }', tags: ['x'], version: 2, updatedAt: T0 + 100, updatedBy: 'bob' });
    expect(await stores.rules.get('pay-auth')).toEqual(v2);
    expect(await stores.rules.history('pay-auth')).toEqual([v2, v1]);
  });

  it('treats a change that changes nothing as no change', async () => {
    const { stores } = ctx();
    const v1 = must(await stores.rules.create({ ...RULE, tags: ['a'] }, 'alice'));
    expect(must(await stores.rules.update('pay-auth', { name: RULE.name, tags: ['a'] }, 'bob'))).toEqual(v1);
    expect(must(await stores.rules.setEnabled('pay-auth', true, 'bob'))).toEqual(v1);
    expect(await stores.rules.history('pay-auth')).toHaveLength(1);
  });

  it('detects a concurrent edit through expectedVersion, as a value', async () => {
    const { stores } = ctx();
    must(await stores.rules.create(RULE, 'alice'));
    must(await stores.rules.update('pay-auth', { name: 'A' }, 'alice', { expectedVersion: 1 }));
    const stale = await stores.rules.update('pay-auth', { name: 'B' }, 'bob', { expectedVersion: 1 });
    expect(errorCode(stale)).toBe('conflict');
    expect(stale.ok ? '' : stale.error.message).toContain('version 2');
    expect((await stores.rules.get('pay-auth'))?.name).toBe('A');
    expect(errorCode(await stores.rules.setEnabled('pay-auth', false, 'bob', { expectedVersion: 1 }))).toBe('conflict');
    expect(errorCode(await stores.rules.delete('pay-auth', 'bob', { expectedVersion: 1 }))).toBe('conflict');
    expect(await stores.rules.history('pay-auth')).toHaveLength(2);
    expect(must(await stores.rules.update('pay-auth', { name: 'B' }, 'bob', { expectedVersion: 2 })).version).toBe(3);
  });

  it('reports a missing rule as not_found', async () => {
    const { rules } = ctx().stores;
    expect(errorCode(await rules.update('nope', { name: 'x' }, 'bob'))).toBe('not_found');
    expect(errorCode(await rules.setEnabled('nope', false, 'bob'))).toBe('not_found');
    expect(errorCode(await rules.delete('nope', 'bob'))).toBe('not_found');
    expect(await rules.history('nope')).toEqual([]);
  });

  it('enables and disables as new versions', async () => {
    const { rules } = ctx().stores;
    must(await rules.create(RULE, 'alice'));
    const off = must(await rules.setEnabled('pay-auth', false, 'bob'));
    expect(off).toMatchObject({ enabled: false, version: 2, updatedBy: 'bob' });
    expect(must(await rules.setEnabled('pay-auth', true, 'carol'))).toMatchObject({ enabled: true, version: 3 });
  });

  it('deletes the rule but keeps its history; a reused id continues the numbering', async () => {
    const { rules } = ctx().stores;
    const v1 = must(await rules.create(RULE, 'alice'));
    const v2 = must(await rules.update('pay-auth', { name: 'Renamed' }, 'alice'));
    expect(must(await rules.delete('pay-auth', 'bob'))).toEqual(v2);
    expect(await rules.get('pay-auth')).toBeUndefined();
    expect(await rules.list()).toEqual([]);
    expect(await rules.history('pay-auth')).toEqual([v2, v1]);
    expect(errorCode(await rules.delete('pay-auth', 'bob'))).toBe('not_found');
    const again = must(await rules.create(RULE, 'carol'));
    expect(again.version).toBe(3);
    expect((await rules.history('pay-auth')).map((r) => r.version)).toEqual([3, 2, 1]);
  });

  it('hands out copies: changing a returned rule changes nothing stored', async () => {
    const { rules } = ctx().stores;
    const rule = must(await rules.create({ ...RULE, tags: ['a'] }, 'alice'));
    rule.tags.push('mutated');
    (await rules.get('pay-auth'))!.tags.push('mutated');
    expect((await rules.get('pay-auth'))?.tags).toEqual(['a']);
  });
}
