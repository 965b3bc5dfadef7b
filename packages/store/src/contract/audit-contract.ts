import { expect, it } from 'vitest';
import { errorCode, must, T0 } from './fixtures.ts';
import type { ContractContext } from './fixtures.ts';

const COND = 'when { payment } always { auth }';

/** The audit log: what each rule change records, and listing. */
export function auditContract(ctx: () => ContractContext): void {
  it('records each rule change with who, when and what changed, field by field', async () => {
    const { stores, clock } = ctx();
    clock.set(T0 + 1);
    must(await stores.rules.create({ id: 'r', name: 'R', severity: 'high', condition: COND, tags: ['t'] }, 'alice'));
    clock.set(T0 + 2);
    must(await stores.rules.update('r', { severity: 'low', name: 'R' }, 'bob'));
    clock.set(T0 + 3);
    must(await stores.rules.setEnabled('r', false, 'carol'));
    clock.set(T0 + 4);
    must(await stores.rules.setEnabled('r', true, 'carol'));
    clock.set(T0 + 5);
    must(await stores.rules.delete('r', 'dave'));
    const items = must(await stores.audit.list({ target: 'r' })).items;
    expect(items.map((e) => [e.action, e.actor, e.at])).toEqual([
      ['rule.delete', 'dave', T0 + 5],
      ['rule.enable', 'carol', T0 + 4],
      ['rule.disable', 'carol', T0 + 3],
      ['rule.update', 'bob', T0 + 2],
      ['rule.create', 'alice', T0 + 1],
    ]);
    const [del, enable, disable, update, create] = items;
    expect(create!.changes).toEqual({
      name: { from: null, to: 'R' }, description: { from: null, to: '' }, severity: { from: null, to: 'high' },
      tags: { from: null, to: ['t'] }, enabled: { from: null, to: true }, condition: { from: null, to: COND },
      source: { from: null, to: 'api' }, version: { from: null, to: 1 },
    });
    // Only what changed: the unchanged name is not listed.
    expect(update!.changes).toEqual({ severity: { from: 'high', to: 'low' }, version: { from: 1, to: 2 } });
    expect(disable!.changes).toEqual({ enabled: { from: true, to: false }, version: { from: 2, to: 3 } });
    expect(enable!.changes).toEqual({ enabled: { from: false, to: true }, version: { from: 3, to: 4 } });
    expect(del!.changes).toMatchObject({ name: { from: 'R', to: null }, condition: { from: COND, to: null }, version: { from: 4, to: null } });
    expect(new Set(items.map((e) => e.id)).size).toBe(5);
  });

  it('records nothing for a failed or empty change', async () => {
    const { stores } = ctx();
    must(await stores.rules.create({ id: 'r', name: 'R', severity: 'high', condition: COND }, 'alice'));
    await stores.rules.create({ id: 'r', name: 'again', severity: 'high', condition: COND }, 'alice');
    await stores.rules.update('r', { name: 'X' }, 'bob', { expectedVersion: 9 });
    await stores.rules.update('r', { name: 'R' }, 'bob');
    await stores.rules.update('missing', { name: 'X' }, 'bob');
    expect(must(await stores.audit.list({})).items.map((e) => e.action)).toEqual(['rule.create']);
  });

  it('appends entries and lists them newest first, in append order when times are equal', async () => {
    const { audit } = ctx().stores;
    const a = await audit.append({ at: T0, actor: 'x', action: 'key.create', target: 'k1', changes: { name: { from: null, to: 'ci' } } });
    expect(a.id).toBeTypeOf('string');
    await audit.append({ at: T0, actor: 'x', action: 'key.revoke', target: 'k1', changes: {} });
    await audit.append({ at: T0, actor: 'y', action: 'key.create', target: 'k2', changes: {} });
    const items = must(await audit.list({})).items;
    expect(items.map((e) => [e.action, e.target])).toEqual([['key.create', 'k2'], ['key.revoke', 'k1'], ['key.create', 'k1']]);
    expect(items[2]).toEqual(a);
    expect(must(await audit.list({ target: 'k1' })).items.map((e) => e.action)).toEqual(['key.revoke', 'key.create']);
  });

  it('pages with a cursor, also within one target', async () => {
    const { audit } = ctx().stores;
    for (let i = 0; i < 7; i++) await audit.append({ at: T0 + i, actor: 'x', action: 'key.create', target: i % 2 ? 'odd' : 'even', changes: {} });
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = must(await audit.list({ target: 'even', limit: 2, ...(cursor ? { cursor } : {}) }));
      seen.push(...page.items.map((e) => e.at - T0));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([6, 4, 2, 0]);
    const exact = must(await audit.list({ limit: 7 }));
    expect(exact.items).toHaveLength(7);
    expect(exact.nextCursor).toBeUndefined();
    expect(errorCode(await audit.list({ cursor: 'garbage' }))).toBe('invalid');
  });
}
