// `npm run bench`: every benchmark, printed as the Markdown tables in docs/performance.md.
import { cpus, loadavg, totalmem } from 'node:os';
import { benchBefore } from './before.ts';
import { benchEngineEval, benchNonMatching } from './engine-eval.ts';
import { benchMemory } from './memory.ts';
import { benchOtlpDecode } from './otlp-decode.ts';
import { benchPipeline } from './pipeline.ts';
import { benchWire } from './wire.ts';
import { benchStoreQueries } from './store-queries.ts';

const only = process.argv[2];
const header = [
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  `Command: npm run bench${only ? ` -- ${only}` : ''}`,
  `Date: ${new Date().toISOString().slice(0, 10)}`,
];
header.push(`Load average at start: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
console.log(header.join('  \n'));
const benches: Record<string, () => string[] | Promise<string[]>> = {
  'engine-eval': benchEngineEval,
  'engine-nonmatching': benchNonMatching,
  'otlp-decode': benchOtlpDecode,
  'pipeline': benchPipeline,
  'before-after': benchBefore,
  'memory': benchMemory,
  'wire': benchWire,
  'store-queries': benchStoreQueries,
};
for (const [name, run] of Object.entries(benches)) {
  if (only && !name.startsWith(only)) continue;
  console.log(`\n### ${name}\n`);
  console.log((await run()).join('\n'));
}
