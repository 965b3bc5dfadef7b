import { describe, expect, it } from 'vitest';
import { formatRuleFile } from './format-rule-file.ts';

describe('formatRuleFile', () => {
  it('rewrites conditions canonically and keeps comments, other keys and layout', () => {
    const text = `# header comment
rules:
  - id: a   # trailing comment
    tags: [x,  y]
    condition: when {db.query}   always{auth.check}
    # a comment between keys
    severity: HIGH
  - id: b
    condition: |-
      never {
        count(http.retry)>3
      }
`;
    const result = formatRuleFile('r.yaml', text);
    expect(result.problems).toEqual([]);
    expect(result.changed).toEqual(['a', 'b']);
    expect(result.text).toBe(`# header comment
rules:
  - id: a   # trailing comment
    tags: [x,  y]
    condition: |
      when { db.query }
      always { auth.check }
    # a comment between keys
    severity: HIGH
  - id: b
    condition: |-
      never { count(http.retry) > 3 }
`);
  });

  it('leaves a condition with comments alone and warns, rather than deleting the comments', () => {
    const text = 'rules:\n  - id: a\n    condition: |\n      // why this rule exists\n      when {db.query}   always{auth.check}\n';
    const result = formatRuleFile('r.yaml', text);
    expect(result.text).toBe(text);
    expect(result.changed).toEqual([]);
    expect(result.problems).toMatchObject([{ severity: 'warning', message: expect.stringContaining('has comments') }]);
  });

  it('keeps quoting of single-line conditions and leaves canonical ones untouched', () => {
    const text = `rules:\n  - id: a\n    condition: "never  { x.where(y==1) }"\n  - id: b\n    condition: never { z }\n`;
    const result = formatRuleFile('r.yaml', text);
    expect(result.changed).toEqual(['a']);
    expect(result.text).toBe(`rules:\n  - id: a\n    condition: "never { x.where(y == 1) }"\n  - id: b\n    condition: never { z }\n`);
  });

  it('reports invalid YAML and conditions with errors without changing them', () => {
    expect(formatRuleFile('r.yaml', 'rules: [\n').problems[0]?.message).toMatch(/^invalid YAML: .*; not formatted$/);
    const result = formatRuleFile('r.yaml', 'rules:\n  - id: a\n    condition: never { (( }\n');
    expect(result.changed).toEqual([]);
    expect(result.problems.map((p) => [p.position.line, p.position.column, p.message])).toEqual([
      [3, 16, 'rule "a" not formatted: its condition has errors (run betrace lint)'],
    ]);
  });
});
