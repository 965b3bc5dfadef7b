import type { Pool, PoolClient } from 'pg';

/**
 * Runs `fn` in a transaction on one pooled connection. A connection that failed mid-transaction
 * (the server restarted, the network dropped) is destroyed rather than returned to the pool.
 */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch((err: unknown) => {
      broken = err instanceof Error ? err : new Error(String(err));
    });
    throw e;
  } finally {
    client.release(broken);
  }
}

/** SQLSTATE of a PostgreSQL error, if it is one. */
export function sqlState(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** Numbered placeholders collected while a statement is built. */
export class Params {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder (`$n`). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A URL with its password replaced, for logs and error messages. */
export function redactUrl(url: string): string {
  return url
    .replace(/\/\/([^@/]*)@/, (_, auth: string) => `//${auth.includes(':') ? `${auth.slice(0, auth.indexOf(':'))}:***` : auth}@`)
    .replace(/([?&]password=)[^&]*/gi, '$1***');
}
