import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const main = new URL('../main.ts', import.meta.url).pathname;

function betrace(...args: string[]) {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, BETRACE_DATA_DIR: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('betrace keys', () => {
  it('creates a key (secret once on stdout), lists it without the secret, and revokes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'betrace-keys-'));
    const created = betrace('keys', 'create', '--name', 'ci', '--role', 'editor', '--data-dir', dir);
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^btk_[A-Za-z0-9]{32,}$/);
    expect(created.stderr).toMatch(/shown only once/);

    const listed = betrace('keys', 'list', '--json', '--data-dir', dir);
    expect(listed.code).toBe(0);
    const keys = JSON.parse(listed.stdout) as Array<{ id: string; name: string; role: string; revokedAt?: string }>;
    expect(keys).toMatchObject([{ name: 'ci', role: 'editor' }]);
    expect(listed.stdout).not.toContain(secret);

    expect(betrace('keys', 'revoke', keys[0]!.id, '--data-dir', dir).code).toBe(0);
    const after = JSON.parse(betrace('keys', 'list', '--json', '--data-dir', dir).stdout) as Array<{ revokedAt?: string }>;
    expect(after[0]?.revokedAt).toBeTruthy();
  });

  it.each([
    [['keys'], /expected create, list or revoke/],
    [['keys', 'create', '--name', 'x'], /--name and --role are required/],
    [['keys', 'create', '--name', 'x', '--role', 'root'], /--role must be one of viewer, editor, admin/],
    [['keys', 'revoke'], /exactly one key id/],
  ])('rejects %j with exit 2 and a hint', (args, message) => {
    const r = betrace(...args, '--data-dir', mkdtempSync(join(tmpdir(), 'betrace-keys-')));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
