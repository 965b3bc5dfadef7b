// Over the wire: `betrace serve` on loopback with the 10 benchmark rules, the load generator in its
// own process sending OTLP/HTTP protobuf, then OTLP/gRPC. Reports accepted spans/s, the verdict
// latency (from the server's betrace_verdict_latency_seconds histogram), the server's peak RSS, and
// checks that every accepted span was evaluated. Baseline in the same run: the same server keeping
// every span attribute (`assembly.attributes: all`, the behaviour before decoding only what rules read).
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClientResult } from './lib/load-client.ts';
import { fmt } from './lib/measure.ts';
import { BENCH_RULES } from './lib/rules.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NODE = process.execPath;
const SECONDS = Number(process.env['BENCH_WIRE_SECONDS'] ?? 10);
const QUIET_MS = 2000;
const CONCURRENCY = Number(process.env['BENCH_WIRE_CONCURRENCY'] ?? 8);

interface Server {
  child: ChildProcess;
  ports: { otlpGrpc: number; otlpHttp: number; api: number };
  dir: string;
}

/** How the server under test is set up: which attributes it keeps, how many worker threads it runs. */
export interface ServerVariant {
  attributes: 'read' | 'all';
  workers: number;
}

async function startServer({ attributes, workers }: ServerVariant): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'betrace-bench-'));
  mkdirRules(dir);
  writeFileSync(join(dir, 'config.yaml'), [
    `dataDir: ${join(dir, 'data')}`, 'store: "memory:"', `rulesDir: ${join(dir, 'rules')}`, 'auth: none', 'logLevel: info',
    'listen: { host: 127.0.0.1, otlpGrpcPort: 0, otlpHttpPort: 0, apiPort: 0 }',
    `assembly: { quietPeriod: ${QUIET_MS}ms, attributes: ${attributes}${process.env["BENCH_WIRE_ASSEMBLY"] ? `, ${process.env["BENCH_WIRE_ASSEMBLY"]}` : ""} }`,
    'limits: { maxPendingViolations: 1000000 }',
    `workers: ${workers}`,
  ].join('\n'));
  const nodeArgs = (process.env['BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(NODE, [...nodeArgs, join(ROOT, 'packages/cli/src/main.ts'), 'serve', '--config', join(dir, 'config.yaml')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ports = await new Promise<Server['ports']>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n')) {
        if (!line.includes('BeTrace is ready')) continue;
        const j = JSON.parse(line) as { otlpGrpc: number; otlpHttp: number; api: number };
        resolve({ otlpGrpc: j.otlpGrpc, otlpHttp: j.otlpHttp, api: j.api });
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
    child.once('exit', (code) => reject(new Error(`betrace serve exited with ${code} before it was ready`)));
  });
  const log = process.env['BENCH_SERVER_LOG'];
  if (log) child.stdout!.pipe(createWriteStream(log));
  else child.stdout!.resume();
  return { child, ports, dir };
}

function mkdirRules(dir: string): void {
  const rules = join(dir, 'rules');
  mkdirSync(rules, { recursive: true });
  const yaml = ['rules:', ...BENCH_RULES.flatMap((r) => [
    `  - id: ${r.id}`, `    name: ${r.id}`, '    severity: high', `    condition: ${JSON.stringify(r.text)}`,
  ])].join('\n');
  writeFileSync(join(rules, 'bench.yaml'), yaml);
}

/** Resident set size of a process, from /proc (Linux). */
function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** CPU seconds a process has used (user + system), from /proc (Linux). */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function metrics(api: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${api}/metrics`);
  return res.text();
}

/** The value of one sample (name with its label set as written, e.g. `x{cause="quiet"}`). */
function sample(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const key = line.slice(0, space);
    if (key === name) total += Number(line.slice(space + 1));
  }
  return total;
}

/** histogram_quantile over one histogram's cumulative buckets, as Prometheus interpolates. */
function quantile(text: string, name: string, labels: string, q: number): number {
  const buckets: Array<{ le: number; count: number }> = [];
  const re = new RegExp(`^${name}_bucket\\{le="([^"]+)",${labels}\\} (\\S+)$`);
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (m) buckets.push({ le: m[1] === '+Inf' ? Infinity : Number(m[1]), count: Number(m[2]) });
  }
  buckets.sort((a, b) => a.le - b.le);
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return NaN;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (b.le === Infinity) return prevLe;
      return prevLe + ((b.le - prevLe) * (rank - prevCount)) / Math.max(1, b.count - prevCount);
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return NaN;
}

function runClientProcess(protocol: 'http' | 'grpc', port: number, rate: number): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [join(ROOT, 'bench/lib/load-client.ts'), protocol, String(port), String(SECONDS), String(CONCURRENCY), String(rate), '0.1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ClientResult) : reject(new Error(`load client exited with ${code}`))));
  });
}

export interface WireRun {
  client: ClientResult;
  acceptedPerSecond: number;
  evaluated: number;
  p50: number;
  p99: number;
  peakRssMiB: number;
  causes: string;
  /** CPU the server process used while the load ran, in cores (1 = one core busy all the time). */
  serverCores: number;
  clientCores: number;
}

export async function runWire(protocol: 'http' | 'grpc', variant: ServerVariant, rate = 0): Promise<WireRun> {
  const server = await startServer(variant);
  let peakRss = 0;
  const poll = setInterval(() => {
    peakRss = Math.max(peakRss, rssOf(server.child.pid!));
  }, 250);
  try {
    const cpu0 = cpuOf(server.child.pid!);
    const client = await runClientProcess(protocol, protocol === 'http' ? server.ports.otlpHttp : server.ports.otlpGrpc, rate);
    const serverCores = (cpuOf(server.child.pid!) - cpu0) / client.seconds;
    // every accepted span must reach evaluation once its quiet period has passed
    let text = '';
    const deadline = Date.now() + QUIET_MS + 30_000;
    for (;;) {
      text = await metrics(server.ports.api);
      if (sample(text, 'betrace_spans_evaluated_total') >= client.acceptedSpans || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const accepted = sample(text, 'betrace_spans_accepted_total');
    const evaluated = sample(text, 'betrace_spans_evaluated_total');
    if (accepted !== client.acceptedSpans || evaluated !== accepted || client.failed > 0 || client.rejectedSpans > 0) {
      throw new Error(`spans lost over ${protocol}: client saw ${client.acceptedSpans} accepted (${client.failed} failed requests, ${client.rejectedSpans} rejected), server accepted ${accepted}, evaluated ${evaluated}`);
    }
    const causes = text.split('\n').filter((l) => l.startsWith('betrace_traces_completed_total{') && !l.endsWith(' 0'))
      .map((l) => `${/cause="(\w+)"/.exec(l)?.[1]} ${fmt(Number(l.split(' ').at(-1)))}`).join(', ');
    return {
      client, acceptedPerSecond: client.acceptedSpans / client.seconds, evaluated,
      p50: quantile(text, 'betrace_verdict_latency_seconds', 'cause="quiet"', 0.5),
      p99: quantile(text, 'betrace_verdict_latency_seconds', 'cause="quiet"', 0.99),
      peakRssMiB: peakRss / 2 ** 20, causes, serverCores, clientCores: client.cpuSeconds / client.seconds,
    };
  } finally {
    clearInterval(poll);
    const exited = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    await exited;
    rmSync(server.dir, { recursive: true, force: true });
  }
}

const ROUNDS = Number(process.env['BENCH_WIRE_ROUNDS'] ?? 3);
/** The steady rate of the latency runs: half the 150 000 spans/s throughput target. */
const PACED_RATE = Number(process.env['BENCH_WIRE_PACED_RATE'] ?? 75_000);

const VARIANTS: Array<{ name: string; variant: ServerVariant }> = [
  { name: 'rules\' attributes only, main thread (`workers: 0`)', variant: { attributes: 'read', workers: 0 } },
  { name: 'rules\' attributes only, 1 worker thread (`workers: auto` here, the default)', variant: { attributes: 'read', workers: 1 } },
  { name: 'rules\' attributes only, 2 worker threads', variant: { attributes: 'read', workers: 2 } },
  { name: 'baseline: every attribute, main thread', variant: { attributes: 'all', workers: 0 } },
];

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The runs of one setup summarised: medians, except the peak RSS (the highest seen). */
function row(transport: string, name: string, runs: readonly WireRun[], base: number | undefined): string {
  const m = (f: (r: WireRun) => number): number => median(runs.map(f));
  const rate = m((r) => r.acceptedPerSecond);
  const spread = `${fmt(Math.min(...runs.map((r) => r.acceptedPerSecond)))}–${fmt(Math.max(...runs.map((r) => r.acceptedPerSecond)))}`;
  return `| ${transport} | ${name} | ${fmt(rate)} (${spread}) | ${m((r) => r.p50).toFixed(3)} s | ${m((r) => r.p99).toFixed(3)} s | ` +
    `${fmt(Math.max(...runs.map((r) => r.peakRssMiB)))} MiB | ${m((r) => r.serverCores).toFixed(2)} cores | ${m((r) => r.clientCores).toFixed(2)} cores | ` +
    `${runs.at(-1)!.causes} | ${base === undefined ? '' : `${(rate / base).toFixed(2)}×`} |`;
}

/**
 * Every setup in every round, rounds interleaved, so a machine whose speed drifts (a shared VM)
 * shifts all setups alike; the tables give medians over the rounds and the range of throughput.
 */
export async function benchWire(): Promise<string[]> {
  const only = process.env['BENCH_WIRE_ONLY'];
  const chosen = (key: string): boolean => only === undefined || only.split(',').includes(key);
  const saturated = new Map<string, WireRun[]>();
  const paced = new Map<string, WireRun[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const protocol of ['http', 'grpc'] as const) {
      for (const { variant } of VARIANTS) {
        const key = `${protocol}:${variant.attributes}:${variant.workers}`;
        if (!chosen(key)) continue;
        saturated.set(key, [...(saturated.get(key) ?? []), await runWire(protocol, variant)]);
      }
    }
    for (const { variant } of VARIANTS) {
      const key = `paced:${variant.attributes}:${variant.workers}`;
      if (variant.attributes !== 'read' || !chosen(key)) continue;
      paced.set(key, [...(paced.get(key) ?? []), await runWire('http', variant, PACED_RATE)]);
    }
  }
  const out = [
    `Load generator in its own process, 8 requests in flight of ~1 000 spans, as fast as the server answers, ${SECONDS} s per run, ` +
      `${ROUNDS} rounds with the setups interleaved: medians (throughput range in brackets); quiet period ${QUIET_MS / 1000} s; memory store. ` +
      'Every run checks spans sent = accepted = evaluated.',
    '',
    '| transport | server | accepted spans/s | verdict p50 | verdict p99 | peak RSS | server CPU | generator CPU | traces completed by cause (last round) | vs. baseline |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|---:|',
  ];
  for (const protocol of ['http', 'grpc'] as const) {
    const transport = protocol === 'http' ? 'OTLP/HTTP protobuf' : 'OTLP/gRPC';
    const baseRuns = saturated.get(`${protocol}:all:0`);
    const base = baseRuns === undefined ? undefined : median(baseRuns.map((r) => r.acceptedPerSecond));
    for (const { name, variant } of VARIANTS) {
      const runs = saturated.get(`${protocol}:${variant.attributes}:${variant.workers}`);
      if (runs !== undefined) out.push(row(transport, name, runs, base));
    }
  }
  if (paced.size > 0) {
    out.push('', `The same over OTLP/HTTP at a steady ${fmt(PACED_RATE)} spans/s (half the throughput target), where verdict latency is a property of the server rather than of an overload:`, '',
      '| server | accepted spans/s | verdict p50 | verdict p99 | peak RSS | server CPU |', '|---|---:|---:|---:|---:|---:|');
    for (const { name, variant } of VARIANTS) {
      const runs = paced.get(`paced:${variant.attributes}:${variant.workers}`);
      if (runs === undefined) continue;
      const m = (f: (r: WireRun) => number): number => median(runs.map(f));
      out.push(`| ${name} | ${fmt(m((r) => r.acceptedPerSecond))} | ${m((r) => r.p50).toFixed(3)} s | ${m((r) => r.p99).toFixed(3)} s | ${fmt(Math.max(...runs.map((r) => r.peakRssMiB)))} MiB | ${m((r) => r.serverCores).toFixed(2)} cores |`);
    }
  }
  return out;
}
