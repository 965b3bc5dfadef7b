/** Runs `f` repeatedly for at least `ms` milliseconds after a warm-up; returns iterations per second. */
export function measure(f: () => void, ms = 1500): { perSecond: number; iterations: number } {
  const warmUntil = performance.now() + Math.min(500, ms / 3);
  while (performance.now() < warmUntil) f();
  let iterations = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    f();
    iterations++;
    now = performance.now();
  }
  return { perSecond: (iterations * 1000) / (now - start), iterations };
}

/** 1234567.8 → "1 234 568" */
export function fmt(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}
