import { fileURLToPath } from 'node:url';
import { type CompiledRule, type Span, evaluateTrace } from '@betrace/engine';
import { loadRules } from '@betrace/rulepack';
import { describe, expect, test } from 'vitest';
import { compileLoaded } from '../commands/compile-rules.ts';
import { main } from '../main.ts';
import { BREAKAGES, RULE_FOR_BREAKAGE, type PlannedSpan, type RequestPlan, planSpans } from './plan.ts';
import { seededRandom } from './random.ts';
import { planRequest } from './scenarios.ts';

const PACK = fileURLToPath(new URL('./demo-rules.yaml', import.meta.url));

function plans(seed: number, n: number, violationRate: number): RequestPlan[] {
  const rng = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => planRequest(rng, violationRate, i));
}

/** A plan as the engine sees it after export: ids in tree order, times in nanoseconds. */
function planTrace(plan: RequestPlan): Span[] {
  const spans: Span[] = [];
  const walk = (s: PlannedSpan, parent: string | undefined): void => {
    const spanId = (spans.length + 1).toString(16).padStart(16, '0');
    spans.push({
      traceId: 'a'.repeat(32), spanId, parentSpanId: parent, name: s.name, kind: s.kind, status: s.error ? 'error' : 'unset',
      statusMessage: s.error ?? '', start: s.startMs * 1e6, end: s.endMs * 1e6, duration: (s.endMs - s.startMs) * 1e6, service: s.service,
      attributes: new Map(Object.entries(s.attributes)), resource: new Map([['service.name', s.service]]),
    });
    s.children.forEach((c) => walk(c, spanId));
  };
  walk(plan.root, undefined);
  return spans;
}

async function demoRules(): Promise<CompiledRule[]> {
  const loaded = await loadRules([PACK]);
  return loaded.rules.map((r) => {
    const c = compileLoaded(r);
    if (!c.ok) throw new Error(c.message);
    return c.compiled;
  });
}

describe('planRequest', () => {
  test('a seed repeats the same run; another seed does not', () => {
    expect(plans(7, 50, 0.3)).toEqual(plans(7, 50, 0.3));
    expect(plans(8, 50, 0.3)).not.toEqual(plans(7, 50, 0.3));
  });

  test('a seeded run has the configured share broken, every breakage and every request kind', () => {
    const run = plans(42, 5000, 0.1);
    const broken = run.filter((p) => p.breakage !== undefined);
    expect(broken.length).toBeGreaterThan(400);
    expect(broken.length).toBeLessThan(600);
    for (const b of BREAKAGES) {
      const n = broken.filter((p) => p.breakage === b).length;
      expect(n, b).toBeGreaterThan(60);
      expect(n, b).toBeLessThan(140);
    }
    for (const kind of ['transfer', 'debit', 'credit', 'balance', 'audit'] as const) {
      expect(run.filter((p) => p.kind === kind).length, kind).toBeGreaterThan(250);
    }
    expect(plans(42, 500, 0).some((p) => p.breakage)).toBe(false);
    expect(plans(42, 500, 1).every((p) => p.breakage)).toBe(true);
  });

  test('a broken transfer really lacks the balance check; a healthy one has it before the debit', () => {
    const run = plans(3, 2000, 0.3);
    const broken = run.find((p) => p.breakage === 'transfer-without-balance-check');
    const healthy = run.find((p) => p.kind === 'transfer' && p.breakage === undefined);
    expect(broken?.kind).toBe('transfer');
    expect(planSpans(broken!).map((s) => s.name)).not.toContain('accounts.balance_check');
    const names = planSpans(healthy!).filter((s) => s.kind === 'internal');
    const check = names.find((s) => s.name === 'accounts.balance_check');
    const debit = names.find((s) => s.name === 'ledger.debit');
    expect(check && debit && check.endMs <= debit.startMs).toBe(true);
  });

  test('every span belongs to one of the five services, and calls cross services client → server', () => {
    for (const plan of plans(5, 300, 0.5)) {
      const walk = (s: PlannedSpan): void => {
        for (const c of s.children) {
          if (c.service !== s.service) expect([s.kind, c.kind]).toEqual(['client', 'server']);
          expect(c.startMs).toBeGreaterThanOrEqual(s.startMs);
          expect(c.endMs).toBeLessThanOrEqual(s.endMs);
          walk(c);
        }
      };
      expect(plan.root.service).toBe('api-gateway');
      walk(plan.root);
    }
  });

  test('the demo rules catch exactly the breakage of each request: one violation of its rule, none on healthy ones', async () => {
    const rules = await demoRules();
    expect(rules.map((r) => r.def.id).sort()).toEqual(Object.values(RULE_FOR_BREAKAGE).sort());
    for (const [i, plan] of plans(11, 1500, 0.4).entries()) {
      const got = evaluateTrace(rules, { traceId: 'a'.repeat(32), spans: planTrace(plan) }).violations.map((v) => v.ruleId);
      expect(got, `request ${i}: ${plan.kind} ${plan.breakage ?? 'healthy'}`).toEqual(plan.breakage ? [RULE_FOR_BREAKAGE[plan.breakage]] : []);
    }
  });
});

test('the demo rule pack passes betrace test', async () => {
  const out: string[] = [];
  const code = await main(['test', PACK], { out: (t) => void out.push(t), err: (t) => void out.push(t) });
  expect(out.join('\n')).toContain('14 examples: 14 passed, 0 failed (5 rules)');
  expect(code).toBe(0);
});
