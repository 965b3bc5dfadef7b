import type { Logger } from 'pino';

/**
 * Logs each kind of event at most once per interval, with how many were left out since the last
 * line: a flood of bad requests must not become a flood of log lines (the metrics count them all).
 */
export class LogThrottle {
  private readonly logger: Logger;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(logger: Logger, intervalMs = 60_000, now: () => number = Date.now) {
    this.logger = logger;
    this.intervalMs = intervalMs;
    this.now = now;
  }

  warn(kind: string, fields: Record<string, unknown>, message: string): void {
    const now = this.now();
    const seen = this.last.get(kind);
    if (seen !== undefined && now - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    const suppressed = seen?.suppressed ?? 0;
    this.last.set(kind, { at: now, suppressed: 0 });
    this.logger.warn({ ...fields, kind, ...(suppressed > 0 ? { suppressedSinceLast: suppressed } : {}) }, `${message} (logged at most once per ${Math.round(this.intervalMs / 1000)}s per kind)`);
  }
}
