import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from './redactor.ts';

const all = new Redactor({ denyKeys: ['*password*', 'authorization', '*api_key*'], allowKeys: [], patterns: ['email', 'card', 'national_id', 'bearer'] });

describe('Redactor values', () => {
  it.each([
    ['user jane.doe+x@example.co.uk signed in', 'user [REDACTED:email] signed in'],
    ['card 4111 1111 1111 1111 charged', 'card [REDACTED:card] charged'],
    ['card 4111-1111-1111-1111', 'card [REDACTED:card]'],
    ['order 1234567890123 shipped', 'order 1234567890123 shipped'], // not a Luhn-valid card number
    ['ssn 123-45-6789', 'ssn [REDACTED:national_id]'],
    ['nino AB 12 34 56 C', 'nino [REDACTED:national_id]'],
    ['Authorization: Bearer abc.def-ghi', 'Authorization: Bearer [REDACTED]'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', 'token [REDACTED:jwt]'],
    ['GET /users/42', 'GET /users/42'],
  ])('%s', (input, want) => {
    expect(all.value(input)).toBe(want);
  });

  it('masks inside arrays and leaves numbers and booleans alone', () => {
    expect(all.value(['a@b.io', 42, true])).toEqual(['[REDACTED:email]', 42, true]);
  });
});

describe('Redactor keys', () => {
  it('blanks denied keys case-insensitively and keeps the rest', () => {
    expect(all.attributes({ 'user.Password': 'hunter2', Authorization: 'Basic x', 'http.route': '/login', 'x.api_key.id': 'k' }))
      .toEqual({ 'user.Password': REDACTED, Authorization: REDACTED, 'http.route': '/login', 'x.api_key.id': REDACTED });
  });

  it('keeps only allowed keys when an allow list is set', () => {
    const r = new Redactor({ denyKeys: [], allowKeys: ['http.*', 'amount'], patterns: [] });
    expect(r.attributes({ 'http.route': '/pay', amount: 10, 'user.email': 'a@b.io' })).toEqual({ 'http.route': '/pay', amount: 10 });
  });

  it('applies no masks when none are configured', () => {
    expect(new Redactor({ denyKeys: [], allowKeys: [], patterns: [] }).value('a@b.io')).toBe('a@b.io');
  });
});
