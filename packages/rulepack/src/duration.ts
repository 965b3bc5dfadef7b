const UNIT_NANOS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const DURATION = /^(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|h)$/;

/**
 * Reads an example duration: a string like `250ms`, `1.5s`, `10us`, or a plain number of
 * milliseconds. Returns whole nanoseconds, or `undefined` when the value is not a duration.
 */
export function parseExampleDuration(value: unknown): bigint | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? BigInt(Math.round(value * 1e6)) : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  const nanos = Number(match[1]) * (UNIT_NANOS[match[2] ?? ''] ?? NaN);
  return Number.isFinite(nanos) ? BigInt(Math.round(nanos)) : undefined;
}
