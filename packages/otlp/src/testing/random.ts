import { mulberry32 } from '@betrace/engine';

/** mulberry32: a tiny seeded PRNG for reproducible random tests. */
export const prng: (seed: number) => () => number = mulberry32;
