import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The configured key, or the one in `<dataDir>/signing.key`, generated (mode 0600) on first start. */
export function loadSigningKey(configured: string | undefined, dataDir: string): { key: string; generated: boolean; path?: string } {
  if (configured !== undefined) return { key: configured, generated: false };
  const path = join(dataDir, 'signing.key');
  try {
    return { key: readFileSync(path, 'utf8').trim(), generated: false, path };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(path, key + '\n', { mode: 0o600, flag: 'wx' });
  return { key, generated: true, path };
}
