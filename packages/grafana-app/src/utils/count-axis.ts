/** Steps a count axis may take, times a power of ten; whole numbers only, so every label is exact. */
const STEPS = [1, 2, 2.5, 3, 4, 5, 6, 8, 10];

/**
 * The top of a count axis drawn as four equal steps: the smallest 4 × step at or above `n`, with a
 * whole, round step (0 2 4 6 8 for 5; 0 25 50 75 100 for 100). Never below 4.
 */
export function countAxisMax(n: number): number {
  const raw = Math.max(1, n / 4);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = STEPS.map((m) => m * p).find((m) => m >= raw && Number.isInteger(m)) ?? 10 * p;
  return 4 * step;
}
