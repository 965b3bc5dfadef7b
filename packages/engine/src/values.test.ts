import type { BinaryOp } from '@betrace/dsl';
import { describe, expect, it } from 'vitest';
import type { FieldValue } from './values.ts';
import { asNumber, compareValues, isTruthy, testNull } from './values.ts';

const bytes = new Uint8Array([1, 2]);

describe('compareValues', () => {
  const rows: { input: [FieldValue, BinaryOp, FieldValue, boolean?]; want: boolean }[] = [
    // numbers and numeric strings, on either side
    { input: ['200', '==', 200], want: true },
    { input: [200, '==', '200'], want: true },
    { input: ['1e3', '==', 1000], want: true },
    { input: ['-1.5', '==', -1.5], want: true },
    { input: [200, '==', 200.0], want: true },
    { input: ['200', '==', '200.0'], want: false }, // two strings: exact text
    { input: ['0x10', '==', 16], want: false }, // not a decimal number
    { input: [' 5', '==', 5], want: false },
    { input: ['abc', '==', 5], want: false },
    { input: ['abc', '!=', 5], want: true },
    // booleans
    { input: [true, '==', true], want: true },
    { input: [true, '==', 'true'], want: true },
    { input: ['false', '==', false], want: true },
    { input: [true, '==', 'TRUE'], want: false },
    { input: [true, '==', 1], want: false },
    { input: [false, '!=', true], want: true },
    // strings
    { input: ['USD', '==', 'USD'], want: true },
    { input: ['USD', '==', 'usd'], want: false },
    { input: ['SERVER', '==', 'server', true], want: true }, // enum intrinsics
    { input: ['server', '!=', 'Server', true], want: false },
    // arrays and bytes equal nothing
    { input: [['a'], '==', 'a'], want: false },
    { input: [['a'], '!=', 'a'], want: true },
    { input: [bytes, '==', bytes], want: false },
    // missing: every comparison false, != included
    { input: [undefined, '==', 'x'], want: false },
    { input: [undefined, '!=', 'x'], want: false },
    { input: [undefined, '<', 5], want: false },
    { input: [undefined, 'contains', 'x'], want: false },
    { input: ['x', '==', undefined], want: false },
    { input: ['x', '!=', undefined], want: false },
    // ordering is numeric only
    { input: [5, '<', 10], want: true },
    { input: ['5', '<', '10'], want: true }, // both numeric strings: still numbers
    { input: ['b', '>', 'a'], want: false }, // never lexicographic
    { input: [10, '>=', '10'], want: true },
    { input: [10, '<=', 9], want: false },
    { input: [true, '>', 0], want: false },
    { input: [['1'], '<', 5], want: false },
    // matches: unanchored, numbers and booleans stringified
    { input: ['GET /api/users', 'matches', '^GET '], want: true },
    { input: ['GET /api/users', 'matches', 'users$'], want: true },
    { input: ['GET /api/users', 'matches', '^users'], want: false },
    { input: [404, 'matches', '^4\\d\\d$'], want: true },
    { input: [true, 'matches', 'ru'], want: true },
    { input: [['abc'], 'matches', 'a'], want: false },
    { input: ['abc', 'matches', '(unclosed'], want: false },
    // contains: substring, or array membership with == semantics
    { input: ['hello world', 'contains', 'o w'], want: true },
    { input: ['hello', 'contains', 'x'], want: false },
    { input: [12345, 'contains', 234], want: true },
    { input: [['a', 'b'], 'contains', 'b'], want: true },
    { input: [['a', 'b'], 'contains', 'ab'], want: false },
    { input: [[1, 2], 'contains', '2'], want: true },
    { input: [[true], 'contains', 'true'], want: true },
    { input: [bytes, 'contains', 1], want: false },
  ];
  it.each(rows)('$input → $want', ({ input, want }) => {
    const [left, op, right, ci] = input;
    expect(compareValues(left, op, right, ci ?? false)).toBe(want);
  });
});

describe('testNull', () => {
  const rows: { input: [FieldValue, BinaryOp]; want: boolean }[] = [
    { input: [undefined, '=='], want: true },
    { input: ['', '=='], want: false },
    { input: [0, '!='], want: true },
    { input: [undefined, '!='], want: false },
    { input: [undefined, '<'], want: false },
  ];
  it.each(rows)('$input → $want', ({ input, want }) => expect(testNull(...input)).toBe(want));
});

describe('isTruthy', () => {
  const rows: { input: FieldValue; want: boolean }[] = [
    { input: true, want: true },
    { input: 'true', want: true },
    { input: false, want: false },
    { input: 1, want: false },
    { input: undefined, want: false },
    { input: [true], want: false },
  ];
  it.each(rows)('$input → $want', ({ input, want }) => expect(isTruthy(input)).toBe(want));
});

describe('asNumber', () => {
  const rows: { input: FieldValue; want: number | undefined }[] = [
    { input: '42', want: 42 },
    { input: '-0.5', want: -0.5 },
    { input: '2E-3', want: 0.002 },
    { input: '1.', want: undefined },
    { input: '.5', want: undefined },
    { input: '', want: undefined },
    { input: 'Infinity', want: undefined },
    { input: true, want: undefined },
  ];
  it.each(rows)('$input → $want', ({ input, want }) => expect(asNumber(input)).toBe(want));
});
