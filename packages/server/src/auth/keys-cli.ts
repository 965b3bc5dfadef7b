import { userInfo } from 'node:os';
import { type ApiKeyRole, type Stores, openStore } from '@betrace/store';
import { apiKeyView, createApiKey } from './api-keys.ts';
import { ROLES } from './roles.ts';

/** Where a key command writes (the CLI's `Io`): results to `out`, problems to `err`. */
export interface KeysIo {
  out(text: string): void;
  err(text: string): void;
}

/** Which store the commands open: the same `--data-dir` / `--store` the server uses. */
export interface KeysStoreOptions {
  dataDir: string;
  store?: string;
  /** Recorded as the audit actor; default `cli:<OS user>`. */
  actor?: string;
}

const EXIT_OK = 0;
const EXIT_ERROR = 2;

/** `betrace keys create --name ci --role editor`: prints the secret once, on stdout. */
export async function keysCreate(options: KeysStoreOptions & { name: string; role: string }, io: KeysIo): Promise<number> {
  const role = ROLES.find((r) => r === options.role);
  if (role === undefined) {
    io.err(`error: --role must be one of ${ROLES.join(', ')} (got "${options.role}")`);
    return EXIT_ERROR;
  }
  if (options.name.trim() === '') {
    io.err('error: --name must not be empty (e.g. --name ci)');
    return EXIT_ERROR;
  }
  return withStores(options, io, async (stores) => {
    const created = await createApiKey(stores, { name: options.name.trim(), role: role satisfies ApiKeyRole }, actorOf(options));
    if (!created.ok) {
      io.err(`error: ${created.error.message}`);
      return EXIT_ERROR;
    }
    io.err(`created ${role} key "${created.value.key.name}" (id ${created.value.key.id}); the secret below is shown only once:`);
    io.out(created.value.secret);
    return EXIT_OK;
  });
}

/** `betrace keys list`: one line per key, revoked ones marked; never secrets or hashes. */
export async function keysList(options: KeysStoreOptions & { json?: boolean }, io: KeysIo): Promise<number> {
  return withStores(options, io, async (stores) => {
    const keys = (await stores.apiKeys.list()).map(apiKeyView);
    if (options.json) {
      io.out(JSON.stringify(keys, null, 2));
      return EXIT_OK;
    }
    if (keys.length === 0) io.err('no API keys (the server creates an admin key on first start)');
    for (const k of keys) {
      const state = k.revokedAt ? `revoked ${k.revokedAt}` : `last used ${k.lastUsedAt ?? 'never'}`;
      io.out(`${k.id}  ${k.role.padEnd(6)}  ${k.prefix}…  ${k.name}  (created ${k.createdAt}, ${state})`);
    }
    return EXIT_OK;
  });
}

/** `betrace keys revoke <id>`: the key stops working at once (audited). */
export async function keysRevoke(options: KeysStoreOptions & { id: string }, io: KeysIo): Promise<number> {
  return withStores(options, io, async (stores) => {
    const revoked = await stores.apiKeys.revoke(options.id, actorOf(options));
    if (!revoked.ok) {
      io.err(`error: ${revoked.error.message}; list keys with "betrace keys list"`);
      return EXIT_ERROR;
    }
    io.err(`revoked key "${revoked.value.name}" (id ${revoked.value.id})`);
    return EXIT_OK;
  });
}

async function withStores(options: KeysStoreOptions, io: KeysIo, run: (stores: Stores) => Promise<number>): Promise<number> {
  const opened = await openStore(options.store, options.dataDir);
  if (!opened.ok) {
    io.err(`error: cannot open the store: ${opened.error.message}`);
    return EXIT_ERROR;
  }
  try {
    return await run(opened.value);
  } finally {
    await opened.value.close();
  }
}

function actorOf(options: KeysStoreOptions): string {
  if (options.actor !== undefined) return options.actor;
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}
