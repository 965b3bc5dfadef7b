import { type KeyObject, createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import type { ViolationRecord } from '@betrace/store';
import { canonicalJson } from './canonical-json.ts';

/** The fields a signature covers: everything detected, not the later resolution state. */
export function signedContent(record: ViolationRecord): string {
  const { signature: _signature, resolvedAt: _resolvedAt, resolution: _resolution, ...content } = record;
  return canonicalJson(content);
}

/**
 * Signs violation records with HMAC-SHA256 under the current key, and verifies them under the
 * current key or any previous one, so rotating the key keeps older records verifiable.
 */
export class Signer {
  // KeyObjects made once: given a Buffer, createHmac builds one per call (8x slower per signature).
  private readonly key: KeyObject;
  private readonly previous: readonly KeyObject[];

  constructor(key: string | Buffer | KeyObject, previousKeys: ReadonlyArray<string | Buffer | KeyObject> = []) {
    this.key = secret(key);
    this.previous = previousKeys.map(secret);
  }

  /** The keys as KeyObjects, which can be posted to a worker thread: `new Signer(k.key, k.previous)`. */
  get keys(): { key: KeyObject; previous: readonly KeyObject[] } {
    return { key: this.key, previous: this.previous };
  }

  /** Hex HMAC-SHA256 of the record's canonical serialisation (signature field excluded). */
  sign(record: ViolationRecord): string {
    return hmac(this.key, signedContent(record));
  }

  /** True when the stored signature matches the record as it is now, under the current or a previous key. */
  verify(record: ViolationRecord): boolean {
    const actual = Buffer.from(record.signature, 'hex');
    const content = signedContent(record);
    return [this.key, ...this.previous].some((key) => {
      const expected = Buffer.from(hmac(key, content), 'hex');
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    });
  }
}

function secret(key: string | Buffer | KeyObject): KeyObject {
  if (typeof key !== 'string' && !Buffer.isBuffer(key)) return key;
  return createSecretKey(typeof key === 'string' ? Buffer.from(key, 'utf8') : key);
}

function hmac(key: KeyObject, content: string): string {
  return createHmac('sha256', key).update(content).digest('hex');
}
