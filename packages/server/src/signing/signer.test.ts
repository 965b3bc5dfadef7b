import { mulberry32 } from '@betrace/engine';
import type { ViolationRecord } from '@betrace/store';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';
import { Signer } from './signer.ts';

const record: ViolationRecord = {
  id: 'abc', ruleId: 'pii-needs-auth', ruleName: 'PII needs auth', ruleVersion: 3, severity: 'high',
  traceId: '5b8efff798038103d269b633813fc60c', boundSpanId: '',
  trigger: [{ spanId: '0020000000000003', name: 'database.query', service: 'users-db', attributes: { 'data.contains_pii': true } }],
  offending: [], reason: 'missing: auth.check', detectedAt: 1_763_900_000_000, traceStart: 1_763_899_999_000, signature: '',
};

/** The straightforward definition, as first written: the fast one must produce the same bytes. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

function randomValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 6 : 9));
  const keys = ['a', 'B', 'é', 'z"q', '10', '2', 'data.contains_pii', '\u{1F600}', '', 'aa'];
  switch (pick) {
    case 0: return null;
    case 1: return undefined;
    case 2: return next() < 0.5;
    case 3: return Math.floor(next() * 1e6) / (next() < 0.3 ? 7 : 1) - 1000;
    case 4: return keys[Math.floor(next() * keys.length)]! + String.fromCharCode(Math.floor(next() * 0x3000));
    case 5: return Number.NaN;
    case 6: return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default: return Object.fromEntries(Array.from({ length: Math.floor(next() * 5) }, () => [keys[Math.floor(next() * keys.length)]!, randomValue(next, depth + 1)]));
  }
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
  });

  it('serialises a record to the same bytes as always (stored signatures must keep verifying)', () => {
    expect(canonicalJson(record)).toBe(
      '{"boundSpanId":"","detectedAt":1763900000000,"id":"abc","offending":[],"reason":"missing: auth.check","ruleId":"pii-needs-auth",' +
        '"ruleName":"PII needs auth","ruleVersion":3,"severity":"high","signature":"","traceId":"5b8efff798038103d269b633813fc60c",' +
        '"traceStart":1763899999000,"trigger":[{"attributes":{"data.contains_pii":true},"name":"database.query","service":"users-db","spanId":"0020000000000003"}]}',
    );
  });

  it('matches the straightforward definition on 2 000 random values (seed 7)', () => {
    const next = mulberry32(7);
    for (let i = 0; i < 2000; i++) {
      const value = randomValue(next, 0);
      expect(canonicalJson(value)).toBe(reference(value));
    }
  });
});

describe('Signer', () => {
  const signer = new Signer('a-test-key-of-enough-length');
  const signed = { ...record, signature: signer.sign(record) };

  it('verifies an untouched record, also after resolution', () => {
    expect(signer.verify(signed)).toBe(true);
    expect(signer.verify({ ...signed, resolvedAt: 1, resolution: 'late spans' })).toBe(true);
  });

  it.each([
    ['reason', { reason: 'missing: nothing' }],
    ['severity', { severity: 'low' as const }],
    ['witness attribute', { trigger: [{ ...record.trigger[0]!, attributes: { 'data.contains_pii': false } }] }],
    ['detection time', { detectedAt: record.detectedAt + 1 }],
  ])('detects a tampered %s', (_what, change) => {
    expect(signer.verify({ ...signed, ...change })).toBe(false);
  });

  it('does not verify with another key or a malformed signature', () => {
    expect(new Signer('another-key-of-enough-length').verify(signed)).toBe(false);
    expect(signer.verify({ ...signed, signature: 'zz' })).toBe(false);
  });

  it('verifies records signed before a key rotation with the previous key', () => {
    const rotated = new Signer('the-new-key-of-enough-length', ['a-test-key-of-enough-length']);
    expect(rotated.verify(signed)).toBe(true);
    expect(rotated.verify({ ...signed, reason: 'changed' })).toBe(false);
    expect(new Signer('the-new-key-of-enough-length').verify(signed)).toBe(false);
  });

  it('does not depend on key order', () => {
    const reordered = Object.fromEntries(Object.entries(record).reverse()) as unknown as ViolationRecord;
    expect(signer.sign(reordered)).toBe(signer.sign(record));
  });
});
