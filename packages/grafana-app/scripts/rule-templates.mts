// Reads the example rule packs (examples/rules/*.yaml) into the rule editor's template list.
// `node scripts/rule-templates.mts` writes src/templates/rule-templates.json; `--check` fails when
// the file is stale (the plugin's unit tests run the same comparison).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const packsDir = join(here, '..', '..', '..', 'examples', 'rules');
const out = join(here, '..', 'src', 'templates', 'rule-templates.json');

interface PackRule {
  id: string;
  name: string;
  description?: string;
  severity: string;
  tags?: string[];
  condition: string;
}

const templates = readdirSync(packsDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((file) => {
    const text = readFileSync(join(packsDir, file), 'utf8');
    const title = /^#\s*(.+)$/m.exec(text)?.[1]?.trim() ?? file;
    const pack = file.replace(/\.yaml$/, '');
    const doc = parse(text) as { rules?: PackRule[] };
    return (doc.rules ?? []).map((r) => ({
      pack, packTitle: title, id: r.id, name: r.name, description: (r.description ?? '').trim(), severity: r.severity,
      tags: r.tags ?? [], condition: r.condition.trimEnd(),
    }));
  });

const json = `${JSON.stringify(templates, null, 2)}\n`;
if (process.argv.includes('--check')) {
  if (readFileSync(out, 'utf8') !== json) {
    console.error(`${out} is stale: run npm run templates in packages/grafana-app`);
    process.exit(1);
  }
} else {
  writeFileSync(out, json);
  console.log(`wrote ${templates.length} templates to ${out}`);
}
