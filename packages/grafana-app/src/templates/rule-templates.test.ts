import { execFileSync } from 'child_process';
import { analyzeRule } from '@betrace/dsl';
import { RULE_TEMPLATES } from './rule-templates';

describe('rule templates', () => {
  test('are in step with examples/rules (npm run templates rewrites them)', () => {
    expect(() => execFileSync(process.execPath, ['scripts/rule-templates.mts', '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  test('every template checks, so picking one never starts with errors', () => {
    expect(RULE_TEMPLATES.length).toBeGreaterThan(10);
    for (const t of RULE_TEMPLATES) {
      expect([t.id, analyzeRule(t.condition).ok]).toEqual([t.id, true]);
    }
  });
});
