import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DEFAULT_LIMITS, type Limits } from '../limits.ts';

/** A rule that analyzes without errors; `print` is its canonical text, `codes` its non-error diagnostics. */
export interface ValidCase {
  rule: string;
  print?: string;
  codes?: string[];
  why?: string;
}

/** A rule that fails; `codes` are every diagnostic's code in order, `at` the text the first one covers. */
export interface FailCase {
  rule: string;
  codes: string[];
  /** The source text the first diagnostic's range covers (its first occurrence, or the `nth`, 0-based). */
  at?: string;
  nth?: number;
  /** The first diagnostic's range as offsets, where `at` cannot say it (an empty range, say). */
  range?: { start: number; end: number };
  /** Overrides of the default limits. */
  limits?: Partial<Limits>;
  /** Text the first message must contain. */
  message?: string;
  why?: string;
}

const DIR = new URL('../../../../testdata/rules/', import.meta.url);

function load<T>(name: string): T[] {
  const doc: unknown = parse(readFileSync(new URL(name, DIR), 'utf8'));
  if (!Array.isArray(doc)) throw new Error(`${name}: expected a list of cases`);
  return doc as T[];
}

export const validCases = (): ValidCase[] => load<ValidCase>('valid.yaml');
export const parseFailCases = (): FailCase[] => load<FailCase>('parse_fails.yaml');
export const checkFailCases = (): FailCase[] => load<FailCase>('check_fails.yaml');

/** The limits a case runs under. */
export function limitsOf(c: FailCase): Limits {
  return { ...DEFAULT_LIMITS, ...c.limits };
}

/** The range `at` (or `range`) names in `text`. */
export function expectedRange(c: FailCase): { start: number; end: number } | undefined {
  if (c.range) return c.range;
  if (c.at === undefined) return undefined;
  let start = -1;
  for (let i = 0; i <= (c.nth ?? 0); i++) start = c.rule.indexOf(c.at, start + 1);
  if (start < 0) throw new Error(`case ${JSON.stringify(c.rule)}: "at" text ${JSON.stringify(c.at)} is not in the rule`);
  return { start, end: start + c.at.length };
}
