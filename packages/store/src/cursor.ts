import { fail, ok } from './result.ts';
import type { Result } from './result.ts';

/** Position after the last violation of a page: keyset pagination stays stable under inserts. */
export interface ViolationCursor {
  detectedAt: number;
  id: string;
}

// Cursors are opaque to clients (base64url JSON) so the key can change without breaking the API.
export function encodeViolationCursor(c: ViolationCursor): string {
  return Buffer.from(JSON.stringify(['v', c.detectedAt, c.id])).toString('base64url');
}

export function decodeViolationCursor(text: string): Result<ViolationCursor> {
  const parts = decode(text);
  if (parts?.length === 3 && parts[0] === 'v' && Number.isFinite(parts[1]) && typeof parts[2] === 'string') {
    return ok({ detectedAt: parts[1] as number, id: parts[2] });
  }
  return badCursor();
}

/** Position after the last audit entry of a page: its insertion sequence number. */
export function encodeSeqCursor(seq: number): string {
  return Buffer.from(JSON.stringify(['a', seq])).toString('base64url');
}

export function decodeSeqCursor(text: string): Result<number> {
  const parts = decode(text);
  if (parts?.length === 2 && parts[0] === 'a' && Number.isSafeInteger(parts[1])) return ok(parts[1] as number);
  return badCursor();
}

function decode(text: string): unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function badCursor<T>(): Result<T> {
  return fail('invalid', 'cursor is not one this server handed out; pass nextCursor from the previous page unchanged');
}

/** Page size: default 50, clamped to 1..1000 so one request cannot pull a whole table. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return 50;
  return Math.min(1000, Math.max(1, Math.floor(limit)));
}
