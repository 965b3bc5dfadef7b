import type { StoreOptions, Stores } from '../stores.ts';
import { MemoryApiKeyStore } from './memory-api-key-store.ts';
import { MemoryAuditLog } from './memory-audit-log.ts';
import { MemoryRuleStore } from './memory-rule-store.ts';
import { MemoryViolationStore } from './memory-violation-store.ts';

/** All ports in process memory: for unit tests and `memory:` (nothing survives a restart). */
export class MemoryStores implements Stores {
  readonly rules: MemoryRuleStore;
  readonly violations: MemoryViolationStore;
  readonly audit: MemoryAuditLog;
  readonly apiKeys: MemoryApiKeyStore;
  #closed = false;

  constructor(options: StoreOptions = {}) {
    const now = options.now ?? Date.now;
    this.audit = new MemoryAuditLog();
    this.rules = new MemoryRuleStore(this.audit, now);
    this.violations = new MemoryViolationStore();
    this.apiKeys = new MemoryApiKeyStore(this.audit, now);
  }

  async ping(): Promise<boolean> {
    return !this.#closed;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}
