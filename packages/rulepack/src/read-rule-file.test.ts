import { describe, expect, it } from 'vitest';
import { formatProblem } from './problem.ts';
import { readRuleFile } from './read-rule-file.ts';

const read = (text: string) => readRuleFile('r.yaml', text);
const messages = (text: string) => read(text).problems.map(formatProblem);

describe('readRuleFile: the BeTrace rule format', () => {
  const text = `rules:
  - id: pii-needs-auth
    name: PII access needs an authorization check
    description: SOC2 CC6.1
    severity: HIGH
    tags: [soc2, cc6.1]
    condition: |
      when   { database.query.where(data.contains_pii == true) }
      always { auth.check }
    examples:
      - name: query without an auth check
        expect: violation
        violations: 1
        trace:
          - span: api.request
            id: req
            service: api
            kind: server
          - span: database.query
            parent: req
            status: error
            start: 2ms
            duration: 1.5
            attributes: { data.contains_pii: true, amount: 1500, ratio: 0.5, tags: [a, 1] }
            resource: { deployment.environment: prod }
  - id: minimal
    condition: never { http.retry }
`;
  const result = read(text);
  const [full, minimal] = result.rules;

  it('reads every field without problems', () => {
    expect(result.problems).toEqual([]);
    expect(full).toMatchObject({
      id: 'pii-needs-auth',
      name: 'PII access needs an authorization check',
      description: 'SOC2 CC6.1',
      severity: 'high',
      tags: ['soc2', 'cc6.1'],
      enabled: true,
      condition: 'when   { database.query.where(data.contains_pii == true) }\nalways { auth.check }\n',
      position: { file: 'r.yaml', line: 2, column: 9 },
    });
  });

  it('applies defaults: name = id, severity medium, enabled, no tags', () => {
    expect(minimal).toMatchObject({ id: 'minimal', name: 'minimal', severity: 'medium', enabled: true, tags: [], examples: [] });
  });

  it('reads examples with resolved parents, typed attributes and durations in nanoseconds', () => {
    const example = full?.examples[0];
    expect(example).toMatchObject({ name: 'query without an auth check', expect: 'violation', violations: 1 });
    const [req, query] = example?.trace ?? [];
    expect(req).toMatchObject({ span: 'api.request', service: 'api', kind: 'server', status: 'unset' });
    expect(req?.start).toBeUndefined();
    expect(query).toMatchObject({ parentIndex: 0, kind: 'internal', status: 'error', start: 2_000_000n, duration: 1_500_000n });
    expect(Object.fromEntries(query?.attributes ?? [])).toEqual({ 'data.contains_pii': true, amount: 1500, ratio: 0.5, tags: ['a', 1] });
    expect(Object.fromEntries(query?.resource ?? [])).toEqual({ 'deployment.environment': 'prod' });
  });

  it('records where the condition text starts, for block and flow scalars', () => {
    expect(full?.conditionAt).toEqual({ file: 'r.yaml', line: 8, column: 7, indent: 6, exact: true });
    expect(minimal?.conditionAt).toEqual({ file: 'r.yaml', line: 27, column: 16, indent: 0, exact: true });
  });
});

describe('readRuleFile: condition positions', () => {
  const rows = [
    { name: 'double quoted', cond: '"never { a }"', want: { line: 3, column: 17, exact: true } },
    { name: 'single quoted', cond: "'never { a }'", want: { line: 3, column: 17, exact: true } },
    { name: 'escapes fall back to the scalar start', cond: '"never { \\"a b\\" }"', want: { line: 3, column: 16, exact: false } },
    { name: 'block with strip chomping', cond: '|-\n      never { a }', want: { line: 4, column: 7, exact: true } },
    { name: 'folded block falls back', cond: '>\n      never { a }', want: { line: 3, column: 16, exact: false } },
  ];
  it.each(rows)('$name', ({ cond, want }) => {
    const result = read(`rules:\n  - id: a\n    condition: ${cond}\n`);
    expect(result.problems).toEqual([]);
    expect(result.rules[0]?.conditionAt).toMatchObject(want);
  });
});

describe('readRuleFile: the original BeTrace format', () => {
  it('treats compliance_frameworks as tags and example_violation as an example that expects a violation', () => {
    const result = read(`rules:
  - id: pii-access-requires-auth
    name: PII access requires auth
    description: old style
    severity: CRITICAL
    compliance_frameworks: [SOC2, HIPAA]
    condition: when { database.query.where(data.contains_pii == true) } always { auth.check }
    example_violation:
      description: query without auth
      trace:
        - span: database.query
          attributes: { data.contains_pii: true }
`);
    expect(result.problems).toEqual([]);
    expect(result.rules[0]).toMatchObject({ severity: 'critical', tags: ['SOC2', 'HIPAA'] });
    expect(result.rules[0]?.examples).toMatchObject([{ name: 'query without auth', expect: 'violation', trace: [{ span: 'database.query' }] }]);
  });
});

describe('readRuleFile: problems point at file:line:column', () => {
  const rows = [
    { name: 'YAML syntax', text: 'rules:\n  - id: a\n   bad: [\n', want: ['r.yaml:3:1: error: invalid YAML: Sequence item without - indicator', /^r\.yaml:4:1: error: invalid YAML: Flow sequence/] },
    { name: 'no rules key', text: 'rule: []\n', want: [/^r\.yaml:1:1: warning: unknown key "rule"/, /^r\.yaml:1:1: error: expected a top-level "rules:" list/] },
    { name: 'missing id', text: 'rules:\n  - condition: never { a }\n', want: ['r.yaml:2:5: error: the rule has no "id": add "id: <lower-case-id>"'] },
    { name: 'bad id', text: 'rules:\n  - id: Bad Id\n    condition: never { a }\n', want: [/^r\.yaml:2:9: error: rule id "Bad Id" must match/] },
    { name: 'bad severity', text: 'rules:\n  - id: a\n    severity: urgent\n    condition: never { a }\n', want: ['r.yaml:3:15: error: unknown severity "urgent": expected one of critical, high, medium, low, info'] },
    { name: 'unknown key warns', text: 'rules:\n  - id: a\n    serverity: high\n    condition: never { a }\n', want: [/^r\.yaml:3:5: warning: unknown key "serverity" in a rule is ignored/] },
    { name: 'duplicate id', text: 'rules:\n  - id: a\n    condition: never { a }\n  - id: a\n    condition: never { b }\n', want: ['r.yaml:4:5: error: duplicate rule id "a" (first defined on line 2); rule ids must be unique'] },
    { name: 'enabled not a bool', text: 'rules:\n  - id: a\n    enabled: "no"\n    condition: never { a }\n', want: ['r.yaml:3:14: error: expected "enabled" (true or false), found the string "no"'] },
    { name: 'example without expect', text: 'rules:\n  - id: a\n    condition: never { a }\n    examples:\n      - trace: [{ span: a }]\n', want: ['r.yaml:5:9: error: the example has no "expect": write "expect: violation" or "expect: pass"'] },
    { name: 'unknown parent', text: 'rules:\n  - id: a\n    condition: never { a }\n    examples:\n      - expect: pass\n        trace:\n          - span: a\n            parent: nope\n', want: ['r.yaml:8:21: error: unknown parent: no span of this trace has id or name "nope"'] },
    { name: 'bad duration', text: 'rules:\n  - id: a\n    condition: never { a }\n    examples:\n      - expect: pass\n        trace:\n          - span: a\n            start: soon\n', want: [/^r\.yaml:8:20: error: expected start as a duration like "5ms"/] },
    { name: 'nested attribute map', text: 'rules:\n  - id: a\n    condition: never { a }\n    examples:\n      - expect: pass\n        trace: [{ span: a, attributes: { http: { method: GET } } }]\n', want: [/^r\.yaml:6:48: error: attribute "http": expected a string.*write nested keys dotted/] },
    { name: 'parent cycle', text: 'rules:\n  - id: a\n    condition: never { a }\n    examples:\n      - expect: pass\n        trace:\n          - { span: a, parent: b }\n          - { span: b, parent: a }\n', want: [/^r\.yaml:7:32: error: parent links form a cycle/] },
  ];
  it.each(rows)('$name', ({ text, want }) => {
    expect(messages(text)).toEqual(want.map((w) => (typeof w === 'string' ? w : expect.stringMatching(w))));
  });

  it('drops a broken example but keeps the rule', () => {
    const result = read('rules:\n  - id: a\n    condition: never { a }\n    examples:\n      - expect: maybe\n        trace: [{ span: a }]\n      - expect: pass\n        trace: [{ span: b }]\n');
    expect(result.rules.map((r) => r.examples.map((e) => e.name))).toEqual([['example 2']]);
    expect(result.problems.map(formatProblem)).toEqual(['r.yaml:5:17: error: expected "violation" or "pass", found "maybe"']);
  });

  it('warns on an empty file or an empty rules key', () => {
    expect(messages('')).toEqual(['r.yaml:1:1: warning: the file holds no rules']);
    expect(messages('# nothing yet\nrules:\n')).toEqual(['r.yaml:2:1: warning: the file holds no rules']);
  });

  it('resolves aliases, e.g. one trace shared by two examples', () => {
    const result = read(`rules:
  - id: a
    condition: never { b }
    examples:
      - expect: violation
        trace: &t
          - { span: b, attributes: { tags: &tags [x, y] } }
      - expect: violation
        trace: *t
      - expect: violation
        trace: [{ span: b, attributes: { tags: *tags } }]
`);
    expect(result.problems).toEqual([]);
    const examples = result.rules[0]?.examples ?? [];
    expect(examples.map((e) => e.trace.map((s) => [s.span, s.attributes.get('tags')]))).toEqual([
      [['b', ['x', 'y']]], [['b', ['x', 'y']]], [['b', ['x', 'y']]],
    ]);
  });
});
