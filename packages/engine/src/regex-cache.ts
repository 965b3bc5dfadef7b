import { compileRegex } from '@betrace/dsl';
import type { LinearRegex } from '@betrace/dsl';

// Patterns only known at evaluation time (a label field on the right of `matches`) are compiled
// once per distinct text; the bound keeps hostile traces from growing it without limit.
const MAX_ENTRIES = 256;
const cache = new Map<string, LinearRegex | null>();

/** The compiled RE2 regex for `source`, or `undefined` when it is not a valid pattern. */
export function regexFor(source: string): LinearRegex | undefined {
  let regex = cache.get(source);
  if (regex === undefined) {
    const result = compileRegex(source);
    regex = result.ok ? result.regex : null;
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(source, regex);
  }
  return regex ?? undefined;
}
