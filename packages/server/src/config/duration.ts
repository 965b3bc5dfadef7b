const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `250ms`, `2s`, `5m`, `1h`, `30d` (or a bare number of milliseconds) into milliseconds. */
export function parseDurationMs(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * (UNITS[m[2] ?? 'ms'] ?? 1);
}

const SIZES: Readonly<Record<string, number>> = { b: 1, kib: 1024, kb: 1000, mib: 1024 ** 2, mb: 1000 ** 2, gib: 1024 ** 3, gb: 1000 ** 3 };

/** Parses `512MiB`, `16 KiB`, `1GB` (or a bare number of bytes) into bytes. */
export function parseBytes(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([KMG]i?B|B)?\s*$/i.exec(text);
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * (SIZES[(m[2] ?? 'b').toLowerCase()] ?? 1));
}
