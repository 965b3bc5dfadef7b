import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, loadRules } from './load-rules.ts';
import { readRuleFile } from './read-rule-file.ts';

/** Positions of the condition diagnostics of the file's first rule. */
function diagnosticsAt(text: string) {
  const spec = readRuleFile('r.yaml', text).rules[0];
  if (!spec) throw new Error('rule did not load');
  return analyze('r.yaml', spec).problems.map((p) => [p.position.line, p.position.column, p.message.split(']')[0]]);
}

describe('condition diagnostics point into the YAML file', () => {
  const rows = [
    { name: 'plain scalar', cond: 'never { a } alway { b }', want: [[3, 28, '[unknown_block']] },
    { name: 'quoted scalar', cond: '"never { a } alway { b }"', want: [[3, 29, '[unknown_block']] },
    { name: 'second line of a block', cond: '|\n      never { a }\n        alway { b }', want: [[5, 9, '[unknown_block']] },
    { name: 'quoted with escapes: counted from the scalar start', cond: '"never { \\"a\\" } alway { b }"', want: [[3, 30, '[unknown_block']] },
  ];
  it.each(rows)('$name', ({ cond, want }) => {
    expect(diagnosticsAt(`rules:\n  - id: x\n    condition: ${cond}\n`)).toEqual(want);
  });

  it('renders the diagnostic with the file position and the rule id', () => {
    const spec = readRuleFile('r.yaml', 'rules:\n  - id: x\n    condition: |\n      never { a }\n      alway { b }\n').rules[0];
    const rendered = spec && analyze('r.yaml', spec).problems[0]?.rendered;
    expect(rendered).toContain(' --> r.yaml:5:7\n  |\n5 |       alway { b }\n  |       ^^^^^\n');
    expect(rendered).toMatch(/\n {2}= in rule "x"$/);
  });
});

describe('loadRules', () => {
  it('loads *.yaml and *.yml below a directory, sorted, and rejects ids repeated across files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'betrace-load-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'b.yml'), 'rules:\n  - id: two\n    condition: never { b }\n');
    writeFileSync(join(dir, 'a.yaml'), 'rules:\n  - id: one\n    condition: never { a }\n');
    writeFileSync(join(dir, 'sub', 'c.yaml'), 'rules:\n  - id: one\n    condition: never { c }\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a rule file');
    const result = await loadRules([dir]);
    expect(result.files).toEqual([join(dir, 'a.yaml'), join(dir, 'b.yml'), join(dir, 'sub', 'c.yaml')]);
    expect(result.rules.map((r) => r.id)).toEqual(['one', 'two']);
    expect(result.problems.map((p) => `${p.position.file}:${p.position.line}: ${p.message}`)).toEqual([
      `${join(dir, 'sub', 'c.yaml')}:2: duplicate rule id "one" (first defined at ${join(dir, 'a.yaml')}:2)`,
    ]);
  });
});
