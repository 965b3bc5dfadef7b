// The README's `betrace check` example: the shipped packs against the shipped sample traces. One
// checkout skips its auth check and charges before the fraud check; the other behaves.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../../', import.meta.url).pathname;
const main = new URL('../main.ts', import.meta.url).pathname;

describe('betrace check on examples/', () => {
  it('finds exactly the broken checkout\'s violations, with their witnesses', () => {
    const r = spawnSync(process.execPath, [main, 'check', 'examples/rules', '--traces', 'examples/traces/checkout.json', '--json'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(1);
    const found = (JSON.parse(r.stdout) as Array<{ ruleId: string; traceId: string; trigger: Array<{ name: string }> }>)
      .map((v) => [v.ruleId, v.traceId, v.trigger.map((t) => t.name).join(',')])
      .sort();
    expect(found).toEqual([
      ['large-payment-fraud-checked', '5b8efff798038103d269b633813fc60c', 'payment.charge'],
      ['legacy-pii-access-authorized', '5b8efff798038103d269b633813fc60c', 'database.query'],
      ['pii-needs-auth', '5b8efff798038103d269b633813fc60c', 'database.query'],
    ]);
  });
});
