// Before and after, in one run: the in-process pipeline of this tree against the same pipeline at
// the revision before the performance work (BEFORE), extracted with `git archive` into a temporary
// directory. Both run the same load-generator requests and rules in alternating fresh processes.
//   node bench/before.ts run [read|all]   (the child: prints spans/s)
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CompiledRule, type Span, TraceAssembler, evaluateTrace, indexTrace } from '@betrace/engine';
import * as otlp from '@betrace/otlp';
import { LoadGenerator } from './lib/load.ts';
import { fmt } from './lib/measure.ts';
import { BENCH_RULES, compileBenchRules } from './lib/rules.ts';

/** The last commit before the performance work. */
export const BEFORE = '60ba3a0';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SPANS = 300_000;

/** Spans/s through decode → assemble → evaluate; `read` passes the rules' field filter when the tree has one. */
function runHere(mode: 'read' | 'all'): number {
  const rules: CompiledRule[] = compileBenchRules();
  const gen = new LoadGenerator();
  const batches: Uint8Array[] = [];
  for (let n = 0; n < SPANS;) {
    const b = gen.next();
    batches.push(b.bytes);
    n += b.spans;
  }
  // the revision before the work has no FieldFilter: it always decodes every attribute
  const Filter = (otlp as { FieldFilter?: new (keys: Iterable<string>) => unknown }).FieldFilter;
  const filter = mode === 'read' && Filter !== undefined ? new Filter(readKeys()) : undefined;
  const decode = otlp.decodeProtobufTraces as (bytes: Uint8Array, limits: unknown, filter: unknown) => { ok: boolean; spans?: Span[] };
  let best = 0;
  for (let round = 0; round < 4; round++) {
    const assembler = new TraceAssembler({ quietPeriodMs: 5, idleTimeoutMs: 20, maxTraceAgeMs: 1000, recentTraces: 0 });
    let evaluated = 0;
    const evaluate = (traces: ReadonlyArray<{ traceId: string; spans: Span[] }>, now: number): void => {
      for (const t of traces) {
        evaluateTrace(rules, indexTrace(t), now);
        evaluated += t.spans.length;
      }
    };
    const start = performance.now();
    let now = 0;
    for (const bytes of batches) {
      const r = decode(bytes, otlp.DEFAULT_INGEST_LIMITS, filter);
      if (!r.ok) throw new Error('bench batch does not decode');
      now += 1;
      evaluate(assembler.add(r.spans!, now).completed, now);
      evaluate(assembler.tick(now), now);
    }
    evaluate(assembler.drain(now), now);
    const perSecond = evaluated / ((performance.now() - start) / 1000);
    if (evaluated !== assembler.counters.spansAccepted) throw new Error('spans lost');
    best = Math.max(best, perSecond);
  }
  return best;
}

function readKeys(): string[] {
  // the keys the ten rules read, spelled out so this file runs against any revision of @betrace/dsl
  const keys = new Set<string>();
  for (const { text } of BENCH_RULES) for (const k of ['data.contains_pii', 'amount', 'order_id', 'currency']) if (text.includes(k)) keys.add(k);
  return [...keys];
}

/** The tree at BEFORE with this tree's node_modules (its own workspace packages) and bench files. */
function extractBefore(): string {
  const dir = mkdtempSync(join(tmpdir(), 'betrace-before-'));
  execFileSync('sh', ['-c', `git -C "${ROOT}" archive ${BEFORE} packages bench | tar -x -C "${dir}"`]);
  mkdirSync(join(dir, 'node_modules/@betrace'), { recursive: true });
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry !== '@betrace') symlinkSync(join(ROOT, 'node_modules', entry), join(dir, 'node_modules', entry));
  }
  for (const pkg of readdirSync(join(dir, 'packages'))) symlinkSync(join(dir, 'packages', pkg), join(dir, 'node_modules/@betrace', pkg));
  for (const f of ['before.ts', 'lib/load.ts', 'lib/measure.ts', 'lib/prng.ts', 'lib/traces.ts']) cpSync(join(ROOT, 'bench', f), join(dir, 'bench', f));
  return dir;
}

function child(tree: string, mode: 'read' | 'all'): number {
  const r = spawnSync(process.execPath, [join(tree, 'bench/before.ts'), 'run', mode], { encoding: 'utf8', cwd: tree });
  if (r.status !== 0) throw new Error(`before/after child failed: ${r.stderr}`);
  return Number(r.stdout);
}

export function benchBefore(): string[] {
  const old = extractBefore();
  try {
    let before = 0;
    let all = 0;
    let read = 0;
    // alternate, so a change in machine load hits both sides
    for (let i = 0; i < 2; i++) {
      before = Math.max(before, child(old, 'all'));
      all = Math.max(all, child(ROOT, 'all'));
      read = Math.max(read, child(ROOT, 'read'));
    }
    const row = (name: string, v: number) => `| ${name} | ${fmt(v)} | ${(v / before).toFixed(2)}× |`;
    return [
      `The in-process pipeline (${fmt(SPANS)} load-generator spans, 10 rules, one core) at ${BEFORE}, the commit before this work, and now; best of 4 runs in each of 2 alternating fresh processes.`,
      '',
      '| tree | spans/s | vs. before |',
      '|---|---:|---:|',
      row(`before (${BEFORE}): every attribute decoded`, before),
      row('now, every attribute decoded (`assembly.attributes: all`): trace id cache, flat hex ids, assembler re-ordering', all),
      row('now, only attributes the rules read (default)', read),
    ];
  } finally {
    rmSync(old, { recursive: true, force: true });
  }
}

if (import.meta.main && process.argv[2] === 'run') {
  process.stdout.write(String(Math.round(runHere(process.argv[3] === 'read' ? 'read' : 'all'))));
}
