import type { Stores } from '@betrace/store';
import type { Logger } from 'pino';
import { createApiKey } from './api-keys.ts';

/** The actor recorded for the key created at first start. */
export const BOOTSTRAP_ACTOR = 'system:first-start';

/**
 * First start: when no usable key exists, creates an admin key named "admin" and prints it once to
 * stdout in a box (not into the JSON logs, which are shipped and kept). Returns the secret, or
 * undefined when keys already exist.
 */
export async function ensureAdminKey(
  stores: Pick<Stores, 'apiKeys'>, logger: Logger, print: (text: string) => void = (t) => process.stdout.write(t),
): Promise<string | undefined> {
  if ((await stores.apiKeys.count()) > 0) return undefined;
  const created = await createApiKey(stores, { name: 'admin', role: 'admin' }, BOOTSTRAP_ACTOR);
  if (!created.ok) throw new Error(`cannot create the first admin API key: ${created.error.message}`);
  print(adminKeyBox(created.value.secret));
  logger.warn({ keyId: created.value.key.id, prefix: created.value.key.prefix }, 'created the first admin API key (printed once above; it is stored only as a hash)');
  return created.value.secret;
}

/** The boxed first-start message. */
export function adminKeyBox(secret: string): string {
  const lines = [
    'BeTrace created an admin API key. It is shown only this once:',
    '',
    `  ${secret}`,
    '',
    'Store it in a secret manager. Use it as "Authorization: Bearer <key>".',
    'Create more keys with POST /api/v1/keys or "betrace keys create".',
  ];
  const width = Math.max(...lines.map((l) => l.length));
  const bar = '─'.repeat(width + 2);
  return ['', `┌${bar}┐`, ...lines.map((l) => `│ ${l.padEnd(width)} │`), `└${bar}┘`, '', ''].join('\n');
}
