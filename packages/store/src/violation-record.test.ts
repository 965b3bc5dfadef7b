import { expect, it } from 'vitest';
import { violationId } from './violation-record.ts';

it('derives the same 32-hex id from the same natural key', () => {
  const id = violationId('rule-a', '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7');
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  expect(violationId('rule-a', '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7')).toBe(id);
});

it.each([
  { a: ['r', 't', ''], b: ['r', 't', 's'] },
  { a: ['r1', 't', ''], b: ['r2', 't', ''] },
  { a: ['ab', 'c', ''], b: ['a', 'bc', ''] },
  { a: ['a', 'b', 'c'], b: ['a', 'bc', ''] },
])('keeps keys apart: $a vs $b', ({ a, b }) => {
  expect(violationId(a[0]!, a[1]!, a[2]!)).not.toBe(violationId(b[0]!, b[1]!, b[2]!));
});
