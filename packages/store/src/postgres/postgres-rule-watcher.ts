import pg from 'pg';
import type { ClientConfig } from 'pg';
import { RULES_CHANNEL } from './postgres-rule-store.ts';

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

/**
 * A dedicated connection that LISTENs for rule changes committed by any instance. When the
 * connection is lost it reconnects with backoff, and every (re)connection also notifies: a
 * notification sent while nobody listened is gone, so listeners must re-read everything.
 */
export class PostgresRuleWatcher {
  #config: ClientConfig;
  #onError: (message: string, error: unknown) => void;
  #listeners = new Set<() => void>();
  #client: pg.Client | undefined;
  #timer: NodeJS.Timeout | undefined;
  #retryMs = RETRY_MIN_MS;
  #running = false;

  constructor(config: ClientConfig, onError: (message: string, error: unknown) => void) {
    this.#config = config;
    this.#onError = onError;
  }

  /** Calls `listener` after each rule change and after each (re)connection; returns unsubscribe. */
  watch(listener: () => void): () => void {
    this.#listeners.add(listener);
    if (!this.#running) {
      this.#running = true;
      void this.#connect();
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.close();
    };
  }

  close(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    client?.end().catch(() => {});
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ ...this.#config, keepAlive: true });
    client.on('notification', (msg) => {
      if (msg.channel === RULES_CHANNEL) this.#emit();
    });
    client.on('error', (e) => this.#lost(client, e));
    client.on('end', () => this.#lost(client, new Error('connection closed')));
    try {
      await client.connect();
      await client.query(`LISTEN ${RULES_CHANNEL}`);
    } catch (e) {
      this.#lost(client, e);
      return;
    }
    if (!this.#running) {
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
    this.#retryMs = RETRY_MIN_MS;
    this.#emit();
  }

  #lost(client: pg.Client, error: unknown): void {
    if (client !== this.#client && this.#client !== undefined) return;
    if (this.#client === client) this.#client = undefined;
    client.removeAllListeners('end');
    client.on('error', () => {});
    client.end().catch(() => {});
    if (!this.#running || this.#timer !== undefined) return;
    this.#onError(`lost the rule-change listener connection; reconnecting in ${this.#retryMs} ms`, error);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#running) void this.#connect();
    }, this.#retryMs);
    this.#timer.unref();
    this.#retryMs = Math.min(RETRY_MAX_MS, this.#retryMs * 2);
  }

  #emit(): void {
    for (const l of this.#listeners) l();
  }
}
