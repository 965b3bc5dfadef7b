import type { StoreError } from '@betrace/store';
import { type ApiFailure, failure } from '../api/errors.ts';

/** The API failure for an expected store failure. */
export function storeFailure(e: StoreError): ApiFailure {
  switch (e.code) {
    case 'not_found':
      return failure('not_found', e.message);
    case 'conflict':
    case 'duplicate':
      return failure('conflict', e.message);
    case 'invalid':
      return failure('invalid_request', e.message);
    case 'unsupported':
    case 'open_failed':
      return failure('unavailable', e.message);
    default: {
      const never: never = e.code;
      return failure('internal', `unexpected store error ${String(never)}`);
    }
  }
}
