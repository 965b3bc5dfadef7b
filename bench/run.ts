// `npm run bench`: every benchmark, printed as the Markdown tables in docs/performance.md.
import { cpus, totalmem } from 'node:os';
import { benchEngineEval, benchNonMatching } from './engine-eval.ts';
import { benchOtlpDecode } from './otlp-decode.ts';

const only = process.argv[2];
const header = [
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  `Command: npm run bench${only ? ` -- ${only}` : ''}`,
  `Date: ${new Date().toISOString().slice(0, 10)}`,
];
console.log(header.join('  \n'));
const benches: Record<string, () => string[]> = {
  'engine-eval': benchEngineEval,
  'engine-nonmatching': benchNonMatching,
  'otlp-decode': benchOtlpDecode,
};
for (const [name, run] of Object.entries(benches)) {
  if (only && !name.startsWith(only)) continue;
  console.log(`\n### ${name}\n`);
  console.log(run().join('\n'));
}
