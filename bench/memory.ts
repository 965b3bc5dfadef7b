// Memory: RSS per buffered span with 100 000 spans of realistic traffic held in the assembler,
// measured in a fresh process per variant (RSS after GC, minus RSS before decoding anything).
// Baseline in the same run: keeping every span attribute (what the decoder did before the filter).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TraceAssembler } from '@betrace/engine';
import { DEFAULT_INGEST_LIMITS, decodeProtobufTraces } from '@betrace/otlp';
import { LoadGenerator } from './lib/load.ts';
import { fmt } from './lib/measure.ts';
import { benchFieldFilter } from './lib/rules.ts';

const SPANS = 100_000;

interface MemoryResult {
  spans: number;
  rssPerSpan: number;
  heapPerSpan: number;
  estimatedPerSpan: number;
}

/** Runs in the child: buffers SPANS spans from the request file and reports the growth per span. */
function measureHere(mode: 'read' | 'all', file: string): MemoryResult {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  // requests come from a file (off the JS heap) so the baseline holds no generator garbage
  const data = readFileSync(file);
  const requests: Uint8Array[] = [];
  for (let at = 0; at < data.length;) {
    const len = data.readUInt32LE(at);
    requests.push(data.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  const filter = mode === 'read' ? benchFieldFilter() : undefined;
  // a throw-away round so code and caches exist before the baseline
  const warm = new TraceAssembler();
  const w = decodeProtobufTraces(requests[0]!, DEFAULT_INGEST_LIMITS, filter);
  if (w.ok) warm.add(w.spans, 0);
  for (let i = 0; i < 3; i++) gc();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  const assembler = new TraceAssembler({ quietPeriodMs: 1e9, idleTimeoutMs: 1e9, maxTraceAgeMs: 1e9, maxBytes: 2 ** 40 });
  for (let i = 1; assembler.size.spans < SPANS; i++) {
    const r = decodeProtobufTraces(requests[i]!, DEFAULT_INGEST_LIMITS, filter);
    if (!r.ok) throw new Error('bench batch does not decode');
    assembler.add(r.spans, 0);
  }
  for (let i = 0; i < 3; i++) gc();
  const { rss, heapUsed } = process.memoryUsage();
  const spans = assembler.size.spans;
  return { spans, rssPerSpan: (rss - rss0) / spans, heapPerSpan: (heapUsed - heap0) / spans, estimatedPerSpan: assembler.size.bytes / spans };
}

function measureInChild(mode: 'read' | 'all', file: string): MemoryResult {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--expose-gc', self, mode, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`memory child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as MemoryResult;
}

/** Writes enough length-prefixed requests for SPANS spans (and a warm-up) to a temporary file. */
function requestFile(): string {
  const gen = new LoadGenerator({ seed: 99 });
  const parts: Buffer[] = [];
  for (let spans = 0; spans < SPANS + 2 * gen.options.batchSpans;) {
    const b = gen.next();
    const len = Buffer.alloc(4);
    len.writeUInt32LE(b.bytes.length);
    parts.push(len, Buffer.from(b.bytes));
    spans += b.spans;
  }
  const file = join(mkdtempSync(join(tmpdir(), 'betrace-memory-')), 'requests.bin');
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

export function benchMemory(): string[] {
  const file = requestFile();
  const read = measureInChild('read', file);
  const all = measureInChild('all', file);
  rmSync(dirname(file), { recursive: true, force: true });
  const row = (name: string, m: MemoryResult) =>
    `| ${name} | ${fmt(m.spans)} | ${fmt(m.rssPerSpan)} B | ${fmt(m.heapPerSpan)} B | ${fmt(m.estimatedPerSpan)} B | ${(all.rssPerSpan / m.rssPerSpan).toFixed(2)}× |`;
  return [
    'Each variant in a fresh process reading the same requests from a file: RSS after GC with the spans buffered minus RSS before decoding; load-generator traffic (15.5 attributes per span).',
    '',
    '| decoder keeps | spans buffered | RSS per span | JS heap per span | assembler\'s estimate per span | less memory than baseline |',
    '|---|---:|---:|---:|---:|---:|',
    row('attributes the 10 rules read (default)', read),
    row('baseline: every attribute', all),
  ];
}

if (import.meta.main) {
  const mode = process.argv[2];
  if (mode !== 'read' && mode !== 'all') throw new Error('usage: memory.ts read|all');
  process.stdout.write(JSON.stringify(measureHere(mode, process.argv[3]!)));
}
