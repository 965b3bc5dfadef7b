/** The time ranges the pages offer, relative to now. */
export interface RangePreset {
  value: string;
  label: string;
  ms: number;
  /** Bucket width for the chart (a duration the stats endpoint parses). */
  bucket: string;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export const RANGE_PRESETS: readonly RangePreset[] = [
  { value: '15m', label: 'Last 15 minutes', ms: 15 * MIN, bucket: '30s' },
  { value: '1h', label: 'Last 1 hour', ms: HOUR, bucket: '1m' },
  { value: '6h', label: 'Last 6 hours', ms: 6 * HOUR, bucket: '10m' },
  { value: '24h', label: 'Last 24 hours', ms: DAY, bucket: '1h' },
  { value: '7d', label: 'Last 7 days', ms: 7 * DAY, bucket: '6h' },
  { value: '30d', label: 'Last 30 days', ms: 30 * DAY, bucket: '1d' },
];

export const DEFAULT_RANGE = '24h';

export function rangePreset(value: string): RangePreset {
  return RANGE_PRESETS.find((p) => p.value === value) ?? (RANGE_PRESETS.find((p) => p.value === DEFAULT_RANGE) as RangePreset);
}

/** `[from, to)` in epoch milliseconds for a preset, ending now. */
export function resolveRange(value: string, now = Date.now()): { from: number; to: number } {
  return { from: now - rangePreset(value).ms, to: now };
}
