import { describe, expect, it } from 'vitest';
import { hasComments } from './comments.ts';

describe('hasComments', () => {
  it.each([
    ['when { a } always { b }', false],
    ['// why\nwhen { a } always { b }', true],
    ['when { a } /* inline */ always { b }', true],
    ['never { a } // trailing', true],
    ['never { a.where(url == "http://x//y") }', false],
    ['never { a.where(x matches `/*.*/`) }', false],
  ])('%s → %s', (text, want) => {
    expect(hasComments(text)).toBe(want);
  });
});
