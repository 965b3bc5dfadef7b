import { type KeyObject, createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import type { ViolationRecord } from '@betrace/store';
import { canonicalJson } from './canonical-json.ts';

/** The fields a signature covers: everything detected, not the later resolution state. */
export function signedContent(record: ViolationRecord): string {
  const { signature: _signature, resolvedAt: _resolvedAt, resolution: _resolution, ...content } = record;
  return canonicalJson(content);
}

/** Signs and verifies violation records with HMAC-SHA256. */
export class Signer {
  // A KeyObject made once: given a Buffer, createHmac builds one per call (8x slower per signature).
  private readonly key: KeyObject;

  constructor(key: string | Buffer) {
    this.key = createSecretKey(typeof key === 'string' ? Buffer.from(key, 'utf8') : key);
  }

  /** Hex HMAC-SHA256 of the record's canonical serialisation (signature field excluded). */
  sign(record: ViolationRecord): string {
    return createHmac('sha256', this.key).update(signedContent(record)).digest('hex');
  }

  /** True when the stored signature matches the record as it is now. */
  verify(record: ViolationRecord): boolean {
    const expected = Buffer.from(this.sign(record), 'hex');
    const actual = Buffer.from(record.signature, 'hex');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}
