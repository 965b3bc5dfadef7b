/** Why a store operation did not happen; expected outcomes, never thrown. */
export type StoreErrorCode =
  | 'not_found'
  | 'conflict'
  | 'duplicate'
  | 'invalid'
  | 'unsupported'
  | 'open_failed';

/** An expected failure: a stable code for programs and a message for people. */
export interface StoreError {
  code: StoreErrorCode;
  message: string;
}

/** The outcome of an operation that can fail in an expected way. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: StoreError };

/** A successful result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** A failed result. */
export function fail<T = never>(code: StoreErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}
