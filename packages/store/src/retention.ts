import type { ViolationStore } from './violation-store.ts';

/** Violations older than this are deleted unless configured otherwise. */
export const DEFAULT_VIOLATION_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** How retention runs; only `violations` is required. */
export interface RetentionOptions {
  violations: ViolationStore;
  /** Keep violations detected within this long; default 30 days. */
  maxAgeMs?: number;
  /** Time between sweeps; default one hour. */
  intervalMs?: number;
  now?: () => number;
  /** Called after each sweep that deleted something, so the server can count and log it. */
  onSweep?: (deleted: number, cutoff: number) => void;
  /** Called when a sweep fails; the next sweep runs as usual. */
  onError?: (error: unknown) => void;
}

/** A running retention job. */
export interface Retention {
  /** Runs one sweep now (skipped, returning 0, if one is already running). */
  sweep(): Promise<number>;
  stop(): void;
}

/**
 * Deletes old violations in the background: once at start, then every interval. The timer is
 * unref'd so retention alone never keeps the process alive.
 */
export function startViolationRetention(options: RetentionOptions): Retention {
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_VIOLATION_RETENTION_MS;
  const now = options.now ?? Date.now;
  let running = false;
  let stopped = false;

  const sweep = async (): Promise<number> => {
    if (running || stopped) return 0;
    running = true;
    try {
      const cutoff = now() - maxAgeMs;
      const deleted = await options.violations.deleteDetectedBefore(cutoff);
      if (deleted > 0) options.onSweep?.(deleted, cutoff);
      return deleted;
    } catch (e) {
      options.onError?.(e);
      return 0;
    } finally {
      running = false;
    }
  };

  const first = setTimeout(() => void sweep(), 0);
  const timer = setInterval(() => void sweep(), options.intervalMs ?? 60 * 60 * 1000);
  first.unref();
  timer.unref();
  return {
    sweep,
    stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
