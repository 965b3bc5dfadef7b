import type { JsonValue } from '@betrace/store';

export type MaskPattern = 'email' | 'card' | 'national_id' | 'bearer';

/** The redaction policy applied to every attribute value stored with a violation. */
export interface RedactionPolicy {
  /** Keys whose values are never stored (case-insensitive, `*` matches any run of characters). */
  denyKeys: readonly string[];
  /** When non-empty, only keys matching one of these are stored (after denyKeys). */
  allowKeys: readonly string[];
  /** Value patterns masked wherever they occur inside a stored string. */
  patterns: readonly MaskPattern[];
}

/** What a denied key's value becomes: the evidence keeps the fact that the key was there. */
export const REDACTED = '[REDACTED]';

const MASKS: Readonly<Record<MaskPattern, (s: string) => string>> = {
  email: (s) => s.replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, '[REDACTED:email]'),
  // 13–19 digits, optionally grouped by spaces or dashes, that pass the Luhn check
  card: (s) => s.replace(/\b\d(?:[ -]?\d){12,18}\b/g, (m) => (luhn(m.replace(/[ -]/g, '')) ? '[REDACTED:card]' : m)),
  // US social security numbers and UK national insurance numbers
  national_id: (s) => s
    .replace(/\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/g, '[REDACTED:national_id]')
    .replace(/\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g, '[REDACTED:national_id]'),
  bearer: (s) => s
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, '$1 [REDACTED]')
    .replace(/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[REDACTED:jwt]'),
};

/** Applies a redaction policy to attribute maps. */
export class Redactor {
  private readonly deny: readonly RegExp[];
  private readonly allow: readonly RegExp[];
  private readonly masks: ReadonlyArray<(s: string) => string>;

  constructor(policy: RedactionPolicy) {
    this.deny = policy.denyKeys.map(glob);
    this.allow = policy.allowKeys.map(glob);
    this.masks = policy.patterns.map((p) => MASKS[p]);
  }

  /** A copy of `attrs` with denied keys blanked, keys outside the allow list dropped and values masked. */
  attributes(attrs: Readonly<Record<string, JsonValue>>): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = {};
    for (const [key, value] of Object.entries(attrs)) {
      if (this.deny.some((re) => re.test(key))) out[key] = REDACTED;
      else if (this.allow.length === 0 || this.allow.some((re) => re.test(key))) out[key] = this.value(value);
    }
    return out;
  }

  /** Masks sensitive patterns inside a value (strings, and strings inside arrays and objects). */
  value(v: JsonValue): JsonValue {
    if (typeof v === 'string') return this.masks.reduce((s, mask) => mask(s), v);
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.value(x)]));
    }
    return v;
  }
}

function glob(pattern: string): RegExp {
  const body = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 'i');
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
