import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { buildTestContext } from '../testing/test-context.ts';
import { watchRuleFiles } from './rule-files.ts';

const rule = (id: string, condition = 'never { a }', extra = '') => `  - id: ${id}\n    name: Rule ${id}\n    severity: high\n${extra}    condition: ${condition}\n`;
const pack = (...rules: string[]) => `rules:\n${rules.join('')}`;

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

async function setup(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'betrace-rules-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const t = await buildTestContext();
  const watcher = await watchRuleFiles(t.ctx, dir);
  cleanup.push(() => {
    watcher.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { ...t, dir, watcher };
}

async function ids(t: { stores: { rules: { list(): Promise<{ id: string }[]> } } }): Promise<string[]> {
  return (await t.stores.rules.list()).map((r) => r.id).sort();
}

describe('rule files', () => {
  test('load at start: source file, actor file:<relative path>, registry reloaded', async () => {
    const t = await setup({ 'a.yaml': pack(rule('one'), rule('two')), 'b.yml': pack(rule('three')), 'notes.txt': 'ignored' });
    expect(await ids(t)).toEqual(['one', 'three', 'two']);
    expect(await t.stores.rules.get('three')).toMatchObject({ source: 'file', updatedBy: 'file:b.yml', version: 1 });
    expect(t.ctx.rules.active).toHaveLength(3);
    const audit = await t.stores.audit.list({ target: 'one' });
    expect(audit.ok && audit.value.items[0]).toMatchObject({ action: 'rule.create', actor: 'file:a.yaml' });
  });

  test('change, add and delete: versions only where something changed; removed rules are deleted', async () => {
    const t = await setup({ 'a.yaml': pack(rule('one'), rule('two')) });
    writeFileSync(join(t.dir, 'a.yaml'), pack(rule('one'), rule('two', 'never { b }')));
    writeFileSync(join(t.dir, 'c.yaml'), pack(rule('four')));
    const s1 = await t.watcher.sync();
    expect(s1).toMatchObject({ created: ['four'], updated: ['two'], deleted: [] });
    expect((await t.stores.rules.get('one'))?.version).toBe(1);
    expect((await t.stores.rules.get('two'))).toMatchObject({ version: 2, condition: 'never { b }' });
    writeFileSync(join(t.dir, 'a.yaml'), pack(rule('one')));
    rmSync(join(t.dir, 'c.yaml'));
    const s2 = await t.watcher.sync();
    expect(s2.deleted.sort()).toEqual(['four', 'two']);
    expect(await ids(t)).toEqual(['one']);
    const audit = await t.stores.audit.list({ target: 'two' });
    expect(audit.ok && audit.value.items[0]).toMatchObject({ action: 'rule.delete', actor: 'file:a.yaml' });
    expect(t.ctx.rules.active.map((r) => r.stored.id)).toEqual(['one']);
  });

  test('an invalid file keeps the rules it held; an invalid condition keeps the stored version; both logged with file:line:col', async () => {
    const t = await setup({ 'a.yaml': pack(rule('one'), rule('two')) });
    writeFileSync(join(t.dir, 'a.yaml'), 'rules:\n  - id: one\n    name: [broken\n');
    const s1 = await t.watcher.sync();
    expect(s1.deleted).toEqual([]);
    expect(await ids(t)).toEqual(['one', 'two']);
    writeFileSync(join(t.dir, 'a.yaml'), pack(rule('one', 'alway { b }'), rule('two')));
    const s2 = await t.watcher.sync();
    expect(s2).toMatchObject({ deleted: [], kept: ['one'] });
    expect((await t.stores.rules.get('one'))?.condition).toBe('never { a }');
    const messages = t.logs.map((l) => String(l['msg']));
    expect(messages.some((m) => m.includes('a.yaml:5:16') && m.includes('unknown_block'))).toBe(true);
    expect(messages.some((m) => /a\.yaml:\d+:\d+: error: invalid YAML/.test(m))).toBe(true);
  });

  test('precedence: an API rule with the same id is not overwritten (warning logged)', async () => {
    const t0 = await buildTestContext();
    await t0.stores.rules.create({ id: 'one', name: 'From API', severity: 'low', condition: 'never { x }' }, 'key:someone');
    const dir = mkdtempSync(join(tmpdir(), 'betrace-rules-'));
    writeFileSync(join(dir, 'a.yaml'), pack(rule('one')));
    const watcher = await watchRuleFiles(t0.ctx, dir);
    cleanup.push(() => watcher.close());
    expect(await t0.stores.rules.get('one')).toMatchObject({ name: 'From API', source: 'api', version: 1 });
    expect(t0.logs.some((l) => String(l['msg']).includes('takes precedence'))).toBe(true);
  });

  test('the watcher picks up an editor-style save (write temp file, rename over) on its own', async () => {
    const t = await setup({ 'a.yaml': pack(rule('one')) });
    writeFileSync(join(t.dir, '.a.yaml.swp'), pack(rule('one'), rule('two')));
    renameSync(join(t.dir, '.a.yaml.swp'), join(t.dir, 'a.yaml'));
    await expect.poll(() => ids(t), { timeout: 3000, interval: 50 }).toEqual(['one', 'two']);
    await expect.poll(() => t.ctx.rules.active.length, { timeout: 1000 }).toBe(2);
  });

  test('a missing directory fails at start with a clear message', async () => {
    const t = await buildTestContext();
    await expect(watchRuleFiles(t.ctx, join(tmpdir(), 'does-not-exist-betrace'))).rejects.toThrow(/cannot read the rules directory/);
  });
});
