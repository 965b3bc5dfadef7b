import { countAxisMax } from './count-axis';

describe('countAxisMax', () => {
  test.each([
    { n: 0, want: 4 },
    { n: 4, want: 4 },
    { n: 5, want: 8 },
    { n: 10, want: 12 },
    { n: 17, want: 20 },
    { n: 100, want: 100 },
    { n: 120, want: 120 },
    { n: 121, want: 160 },
    { n: 9_000, want: 10_000 },
  ])('$n → $want', ({ n, want }) => {
    expect(countAxisMax(n)).toBe(want);
  });

  test('every count fits under four whole steps, without wasting most of the axis', () => {
    for (let n = 0; n <= 5000; n++) {
      const max = countAxisMax(n);
      expect(Number.isInteger(max / 4) && max >= n && max <= Math.max(4, 2 * n)).toBe(true);
    }
  });
});
