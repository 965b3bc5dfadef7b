import { RE2JS } from 're2js';

/** A compiled `matches` pattern: RE2 semantics, so matching is linear in the input's length. */
export interface LinearRegex {
  /** Unanchored search, like `RegExp.prototype.test`. */
  test(input: string): boolean;
}

export type RegexResult =
  | { ok: true; regex: LinearRegex }
  | { ok: false; message: string; offset: number | undefined };

/** Compiles a `matches` pattern with RE2 (no backreferences or lookaround: no catastrophic backtracking). */
export function compileRegex(source: string): RegexResult {
  try {
    const re = RE2JS.compile(source);
    return { ok: true, regex: { test: (input) => re.matcher(input).find() } };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, message, offset: errorOffset(source, message) };
  }
}

/** RE2 reports the offending fragment (e.g. "missing closing ): `(ab`"); find where it starts. */
function errorOffset(source: string, message: string): number | undefined {
  const m = /`([^`]*)`\s*$/.exec(message) ?? /: (.+)$/.exec(message);
  if (!m || m[1] === undefined || m[1] === '') return undefined;
  const at = source.lastIndexOf(m[1]);
  return at >= 0 ? at : undefined;
}
