import { randomBytes } from 'node:crypto';
import { hashApiKey } from '@betrace/store';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Secrets look like `btk_` + 40 base62 characters (≈238 bits). */
export const API_KEY_PREFIX = 'btk_';
const SECRET_CHARS = 40;
/** How much of the secret is stored in clear so people can tell keys apart. */
const SHOWN_CHARS = API_KEY_PREFIX.length + 6;

/** Uniform random base62 text (rejection sampling, so no character is more likely than another). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 * 62: bytes at or above it would bias the first characters
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A new key: the secret (shown once), its id, the stored prefix and the stored hash. */
export function newApiKeySecret(): { secret: string; id: string; prefix: string; hash: string } {
  const secret = API_KEY_PREFIX + randomBase62(SECRET_CHARS);
  return { secret, id: `key_${randomBase62(16)}`, prefix: secret.slice(0, SHOWN_CHARS), hash: hashApiKey(secret) };
}

/** Cheap shape check before any store lookup. */
export function looksLikeApiKey(text: string): boolean {
  return /^btk_[0-9A-Za-z]{32,128}$/.test(text);
}
