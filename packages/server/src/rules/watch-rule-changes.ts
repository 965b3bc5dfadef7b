import type { Stores } from '@betrace/store';
import type { Logger } from 'pino';
import type { RuleRegistry } from './rule-registry.ts';

/** Notifications arriving within this window cause one reload (a rule pack import sends many). */
const DEBOUNCE_MS = 100;

/**
 * Reloads the registry when the store reports rule changes made elsewhere (another instance on
 * the same PostgreSQL), debounced. A store without a change feed (memory, SQLite) has nothing to
 * watch: there the rule service reloads after its own changes. Returns a function that stops.
 */
export function watchRuleChanges(stores: Stores, registry: RuleRegistry, logger: Logger, debounceMs = DEBOUNCE_MS): () => void {
  if (!stores.watchRules) return () => {};
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const reload = (): void => {
    timer = undefined;
    registry.reload().catch((err: unknown) => {
      // The feed reconnects and notifies again once the store answers, so nothing stays stale.
      logger.warn({ err }, 'reloading rules after a change elsewhere failed; retried when the store answers');
    });
  };
  const unwatch = stores.watchRules(() => {
    if (stopped || timer !== undefined) return;
    timer = setTimeout(reload, debounceMs);
  });
  return () => {
    stopped = true;
    clearTimeout(timer);
    unwatch();
  };
}
