/** A small seeded PRNG (mulberry32): the same seed gives the same inputs, so a failure can be replayed. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

const NAMES = ['a', 'b', 'payment.charge', 'http.in', 'job.count', 'db.where.clause', '"GET /x"', '"p"', '*', 'p', 'trace.x', '"trace.duration"'];
const KEYS = ['x', 'amount', 'http.status_code', '"x-y"', 'resource.region', 'resource."k8s-pod"', 'span.name', 'span.duration', 'span.kind', 'span.status', 'span.start', 'p.x', 'p.span.duration', 'p."q r"', 'trace.id', 'db.where.clause'];
const VALUES = ['1', '-2.5', '1e3', '"s"', 'USD', 'true', 'false', 'null', '250ms', '1.5s', '3µs', 'p.x', 'p.span.kind', 'server', 'ERROR', '"\\u{1F600}"', '`^a\\d+`'];
const OPS = ['==', '!=', '<', '<=', '>', '>=', 'matches', 'contains'];
const TRACE = ['duration', 'span_count', 'service_count', 'error_count', 'root_name', 'root_service'];
const RELATIONS = ['before', 'after', 'parent of', 'child of', 'ancestor of', 'descendant of'];

/** Random rule text from the grammar: mostly parses, often fails the checks, exercises every production. */
export function randomRule(r: Random): string {
  const blocks = r.pick([['when', 'always'], ['always'], ['never'], ['when', 'never'], ['always', 'never'], ['never', 'when', 'always']]);
  const label = r.chance(0.4);
  return blocks.map((b, i) => `${b} { ${b === 'when' && label ? `p: ${pattern(r, 1)} and ` : ''}${condition(r, 2)}${i === 0 ? '' : ''} }`).join(r.pick([' ', '\n', '\n// c\n']));
}

function condition(r: Random, depth: number): string {
  const n = r.int(depth > 0 ? 9 : 5);
  switch (n) {
    case 0: return pattern(r, depth);
    case 1: return `${r.pick(['count', 'sum', 'avg', 'min', 'max'])}(${pattern(r, depth)}${r.chance(0.5) ? `, ${r.pick(KEYS)}` : ''}) ${r.pick(OPS.slice(0, 6))} ${r.pick(['3', '-1', '2s', '1e2', 'count(b)', 'max(b, span.duration)'])}`;
    case 2: return `trace.${r.pick(TRACE)} ${r.chance(0.2) ? `in [${r.pick(VALUES)}, ${r.pick(VALUES)}]` : `${r.pick(OPS)} ${r.pick(VALUES)}`}`;
    case 3: return `${pattern(r, depth)} ${r.pick(RELATIONS)} ${pattern(r, depth)}${r.chance(0.3) ? ` within ${r.pick(['5s', '0ms', '2m'])}` : ''}`;
    case 4: return `${r.pick(['a', 'b', 'payment', 'db.where'])}.${r.pick(['x', 'amount', 'count', 'in'])} ${r.pick(OPS)} ${r.pick(VALUES)}`;
    case 5: return `not ${condition(r, depth - 1)}`;
    case 6: return `(${condition(r, depth - 1)})`;
    default: return `${condition(r, depth - 1)} ${r.pick(['and', 'or'])} ${condition(r, depth - 1)}`;
  }
}

function pattern(r: Random, depth: number): string {
  let s = r.pick(NAMES);
  while (depth > 0 && r.chance(0.4)) s += `.where(${predicate(r, depth - 1)})`;
  return s;
}

function predicate(r: Random, depth: number): string {
  switch (r.int(depth > 0 ? 7 : 3)) {
    case 0: return r.pick(KEYS);
    case 1: return `${r.pick(KEYS)} ${r.pick(OPS)} ${r.pick(VALUES)}`;
    case 2: return `${r.pick(KEYS)} in [${r.pick(VALUES)}${r.chance(0.5) ? `, ${r.pick(VALUES)}` : ''}]`;
    case 3: return `not ${predicate(r, depth - 1)}`;
    case 4: return `(${predicate(r, depth - 1)})`;
    default: return `${predicate(r, depth - 1)} ${r.pick(['and', 'or'])} ${predicate(r, depth - 1)}`;
  }
}

const JUNK = ['(', ')', '{', '}', '[', ']', ',', '.', ':', '*', '"', '`', '\\', '/', '/*', '//', '-', '=', '!', '<', '>', ' ', '\n', '\t',
  'not', 'and', 'or', 'when', 'always', 'never', 'in', 'where', '.where(', 'of', 'within', 'µs', 'μ', 'é', '😀', '\u0000', '\u00a0', '\ud800', '1e', '0.', 'p:', 'trace.'];

/** `text` with a few random edits: characters or tokens deleted, inserted, duplicated or swapped. */
export function mutate(r: Random, text: string): string {
  let s = text;
  for (let k = 1 + r.int(3); k > 0; k--) {
    const i = r.int(s.length + 1);
    const j = Math.min(s.length, i + 1 + r.int(8));
    switch (r.int(6)) {
      case 0: s = s.slice(0, i) + s.slice(j); break;
      case 1: s = s.slice(0, i) + r.pick(JUNK) + s.slice(i); break;
      case 2: s = s.slice(0, i) + String.fromCharCode(r.int(0x3000)) + s.slice(i); break;
      case 3: s = s.slice(0, i) + s.slice(i, j) + s.slice(i); break;
      case 4: { const k2 = r.int(s.length + 1); s = s.slice(0, i) + s.slice(k2, k2 + 1 + r.int(6)) + s.slice(j); break; }
      default: s = s.slice(0, i) + s.slice(j, j + (j - i)) + s.slice(i, j) + s.slice(j + (j - i));
    }
  }
  return s;
}

/** Text of random code units: ASCII-heavy, with control characters, surrogates and any BMP character. */
export function randomText(r: Random): string {
  let s = '';
  for (let n = r.int(60); n > 0; n--) {
    const k = r.int(10);
    s += k < 6 ? String.fromCharCode(32 + r.int(95)) : k < 8 ? r.pick(JUNK) : String.fromCharCode(r.int(0x10000));
  }
  return s;
}
