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

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
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
