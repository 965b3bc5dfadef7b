// The web console in Debian's Chromium against the real `betrace serve` on a fresh data dir: sign in
// with the printed admin key, write a rule in the editor (a typo's diagnostic comes and goes; the
// Test panel judges a pasted trace), send traces with the OpenTelemetry SDK, watch the violation
// arrive live, open its details and its trace, export CSV, disable the rule and see nothing new.
// Each page is saved as a screenshot (see support/chromium.ts for where).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type ViolationView } from '../support/api-client.ts';
import { type BetraceProcess, startBetrace, stopAll, tempDataDir } from '../support/betrace-process.ts';
import { TestService } from '../support/otel-sdk.ts';
import { pollUntil } from '../support/poll.ts';
import { CHROMIUM, launchChromium, screenshotPath } from './support/chromium.ts';
import { csvObjects } from './support/csv.ts';
import { checkout, otlpJson, userRequest } from './support/traces.ts';

// .ci/run installs Chromium and builds the console; elsewhere the suite says what it is missing.
const CONSOLE_INDEX = resolve(import.meta.dirname, '../../packages/grafana-app/dist-console/index.html');
const missing = !existsSync(CHROMIUM)
  ? `no Chromium at ${CHROMIUM} (apt-get install chromium, or set BETRACE_CHROMIUM)`
  : !existsSync(CONSOLE_INDEX) ? 'the console is not built (npm run build:console)' : undefined;
if (missing) console.log(`skipping the browser tests: ${missing}`);

const RULE = {
  id: 'pii-needs-auth',
  name: 'PII access needs an authorization check',
  typo: 'when { q: db.query.where(data.contains_pii == true) } alway { auth.check before q }',
  reason: 'missing: auth.check before q',
};
// A second rule, made over the API, so the overview has more than one rule and service to show.
const PAYMENTS_RULE = {
  id: 'payment-fraud-check',
  name: 'Large payments are fraud-checked first',
  severity: 'high',
  condition: 'when { p: payment.charge.where(amount > 1000) } always { fraud.check before p }',
};
const QUIET_PERIOD_MS = 300;
const WAIT = { timeout: 30_000 };

let betrace: BetraceProcess;
let api: ApiClient;
let browser: Browser | undefined;
let page: Page;
const users: TestService[] = [];
let payments: TestService;
/** Icons the console asked for that the server does not have (it answers index.html for them). */
const iconProblems: string[] = [];

beforeAll(async () => {
  if (missing) return;
  betrace = await startBetrace(tempDataDir(), ['--quiet-period', `${QUIET_PERIOD_MS}ms`]);
  api = new ApiClient(betrace.apiUrl, betrace.adminKey);
  expect((await api.post('/api/v1/rules', PAYMENTS_RULE)).status).toBe(201);
  users.push(new TestService('users-api', 'http_protobuf', betrace.ports), new TestService('profiles', 'http_protobuf', betrace.ports));
  payments = new TestService('payments', 'http_protobuf', betrace.ports);
  const launched = await launchChromium();
  browser = launched.browser;
  page = await launched.context.newPage();
  page.on('response', (res) => {
    const type = res.headers()['content-type'] ?? '';
    if (res.url().includes('/build/img/icons/') && (!res.ok() || !type.startsWith('image/svg+xml'))) {
      iconProblems.push(`${new URL(res.url()).pathname}: ${res.status()} ${type}`);
    }
  });
  page.setDefaultTimeout(WAIT.timeout);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([...users, payments].map((s) => s?.shutdown()));
  await stopAll();
}, 60_000);

/** `[data-testid="<id>"]`; with `suffix`, the entity's element (`<id>-<suffix>`). */
function byId(id: string, suffix?: string): Locator {
  return page.locator(`[data-testid="${suffix === undefined ? id : `${id}-${suffix}`}"]`);
}

/** Every element whose test id is `<id>-<something>`. */
function allById(id: string): Locator {
  return page.locator(`[data-testid^="${id}-"]`);
}

async function shot(name: string, fullPage = false): Promise<void> {
  // @grafana/ui fetches each icon on first use and draws an empty <svg> until it has it
  await page.waitForFunction("[...document.querySelectorAll('svg')].every((svg) => svg.childElementCount > 0)", undefined, WAIT);
  await page.screenshot({ path: screenshotPath(name), fullPage, animations: 'disabled' });
}

async function flushAll(): Promise<void> {
  for (const s of [...users, payments]) await s.flush();
}

async function violations(query = ''): Promise<ViolationView[]> {
  const reply = await api.get<{ items: ViolationView[] }>(`/api/v1/violations?limit=500${query}`);
  expect(reply.status).toBe(200);
  return reply.body.items;
}

/** The violation ids the table shows, from its rows' test ids. */
async function tableIds(): Promise<string[]> {
  const ids = await allById('data-testid violations-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid') ?? ''));
  return ids.map((id) => id.slice('data-testid violations-row-'.length));
}

const violating: { traceId: string; rootId: string; queryId: string }[] = [];

// The steps build on each other: after a failure the rest are skipped instead of timing out.
let failed: string | undefined;
function step(name: string, body: () => Promise<void>, timeoutMs = 60_000): void {
  it(name, async (ctx) => {
    if (failed !== undefined) ctx.skip(`an earlier step failed: ${failed}`);
    try {
      await body();
    } catch (e) {
      failed = name;
      throw e;
    }
  }, timeoutMs);
}

describe.skipIf(missing !== undefined)('the web console', () => {
  step('refuses a wrong key with a message and signs in with the printed admin key', async () => {
    expect(betrace.adminKey).toMatch(/^btk_/);
    await page.goto(betrace.apiUrl);
    await byId('data-testid console-login').waitFor();
    const key = byId('data-testid console-login-api-key');
    await key.fill('btk_thisisnotakeythisisnotakeythisisnotakey0');
    await byId('data-testid console-login-submit').click();
    await expect.poll(() => byId('data-testid console-login-error').innerText(), WAIT).toContain('BeTrace does not accept this key');
    await shot('login');

    await key.fill(betrace.adminKey ?? '');
    await byId('data-testid console-login-submit').click();
    await expect.poll(() => byId('data-testid console-who').innerText(), WAIT).toMatch(/\(admin\)$/);
    await expect.poll(() => byId('data-testid console-login').count()).toBe(0);
    // a fresh server has seen no spans yet: the overview says how to send some
    await byId('data-testid state-no-spans').waitFor();
    await shot('overview-no-spans');
  });

  step('creates a rule in the editor: a typo is flagged and cleared, the Test panel judges a pasted trace', async () => {
    await byId('data-testid console-nav-link-rules').click();
    await byId('data-testid rules-create').click();
    await byId('data-testid editor-container').waitFor();
    await byId('data-testid editor-id').fill(RULE.id);
    await byId('data-testid editor-name').fill(RULE.name);
    await byId('data-testid editor-severity').locator('input').fill('critical');
    await page.keyboard.press('Enter');
    await byId('data-testid editor-tags').fill('pii, soc2');

    await byId('data-testid editor-code').locator('.cm-content').click();
    await page.keyboard.type(RULE.typo);
    const diagnostic = byId('data-testid editor-diagnostic');
    await expect.poll(() => diagnostic.getAttribute('data-code'), WAIT).toBe('unknown_block');
    await expect.poll(() => diagnostic.innerText()).toContain('did you mean "always"?');
    // the squiggle under the unknown block, drawn by CodeMirror's linter from the same diagnostics
    const squiggle = byId('data-testid editor-code').locator('.cm-lintRange-error');
    await squiggle.waitFor();
    expect(await squiggle.innerText()).toBe('alway');
    expect(await byId('data-testid editor-save').isDisabled()).toBe(true);
    await shot('editor-diagnostic');

    await squiggle.dblclick();
    await page.keyboard.type('always');
    await expect.poll(() => diagnostic.count(), WAIT).toBe(0);
    await expect.poll(() => byId('data-testid editor-diagnostics').innerText()).toContain('The condition checks.');
    await expect.poll(() => squiggle.count(), WAIT).toBe(0);
    expect(await byId('data-testid editor-code').locator('.cm-content').innerText()).toBe(RULE.typo.replace('alway', 'always'));

    await byId('data-testid editor-test-mode').getByRole('radio', { name: 'Paste OTLP/JSON' }).click();
    const traceBox = byId('data-testid editor-test-trace');
    const verdict = byId('data-testid editor-test-verdict');
    await traceBox.fill(otlpJson([
      { id: '00f067aa0ba902b7', name: 'GET /users/{id}', startMs: 0, endMs: 20 },
      { id: '00f067aa0ba902b8', parent: '00f067aa0ba902b7', name: 'auth.check', startMs: 1, endMs: 3 },
      { id: '00f067aa0ba902b9', parent: '00f067aa0ba902b7', name: 'db.query', startMs: 5, endMs: 15, pii: true },
    ]));
    await byId('data-testid editor-test-run').click();
    await expect.poll(() => verdict.getAttribute('data-verdict'), WAIT).toBe('pass');
    await traceBox.fill(otlpJson([
      { id: '00f067aa0ba902b7', name: 'GET /users/{id}', startMs: 0, endMs: 20 },
      { id: '00f067aa0ba902b9', parent: '00f067aa0ba902b7', name: 'db.query', startMs: 5, endMs: 15, pii: true },
    ]));
    await byId('data-testid editor-test-run').click();
    await expect.poll(() => verdict.getAttribute('data-verdict'), WAIT).toBe('violation');
    expect(await verdict.innerText()).toContain(RULE.reason);
    await byId('data-testid editor-test-witness', '00f067aa0ba902b9').waitFor();
    await traceBox.evaluate((box) => box.scrollTo(0, 0));
    await shot('editor', true);

    await byId('data-testid editor-save').click();
    await byId('data-testid rules-row', RULE.id).waitFor();
    const saved = await api.get<{ condition: string; severity: string; enabled: boolean; tags: string[] }>(`/api/v1/rules/${RULE.id}`);
    expect(saved.body).toMatchObject({ condition: RULE.typo.replace('alway', 'always'), severity: 'critical', enabled: true, tags: ['pii', 'soc2'] });
  }, 90_000);

  step('shows violations of traces sent with the OpenTelemetry SDK as they arrive, without a reload', async () => {
    await byId('data-testid console-nav-link-violations').click();
    await byId('data-testid violations-container').waitFor();
    await expect.poll(() => byId('data-testid violations-live-status').getAttribute('data-state'), WAIT).toBe('live');
    await page.evaluate(() => Object.assign(globalThis, { betraceSameDocument: true }));

    for (const [i, service] of users.entries()) {
      violating.push(userRequest(service, false));
      if (i === 0) violating.push(userRequest(service, false));
      userRequest(service, true);
    }
    checkout(payments, 2500, false);
    checkout(payments, 1800, false);
    checkout(payments, 4200, true);
    checkout(payments, 300, false);
    await flushAll();

    for (const { traceId } of violating) {
      await allById('data-testid violations-row').filter({ hasText: traceId.slice(0, 12) }).waitFor(WAIT);
    }
    await expect.poll(async () => (await tableIds()).length, WAIT).toBe(violating.length + 2);
    expect(await page.evaluate(() => (globalThis as { betraceSameDocument?: boolean }).betraceSameDocument)).toBe(true);
    await expect.poll(() => byId('data-testid violations-live-status').innerText()).toContain(`${violating.length + 2} new`);

    const recorded = await violations();
    expect(new Set(await tableIds())).toEqual(new Set(recorded.map((v) => v.id)));
    // the badge's dot, not the "reconnecting" arrows it showed before it was live
    expect(await byId('data-testid violations-live-status').locator('svg circle').count()).toBe(1);
    expect(recorded.filter((v) => v.ruleId === RULE.id).map((v) => v.traceId).sort()).toEqual(violating.map((v) => v.traceId).sort());
    await shot('violations');
  });

  step('opens a violation: reason, witness span, valid signature, then its trace with the witness highlighted', async () => {
    const [first] = violating;
    if (first === undefined) throw new Error('no violation from the previous step');
    const [v] = await violations(`&traceId=${first.traceId}`);
    if (v === undefined) throw new Error(`no violation recorded for trace ${first.traceId}`);

    await byId('data-testid violations-row', v.id).click();
    const drawer = byId('data-testid violation-drawer');
    await drawer.waitFor();
    expect(await byId('data-testid violation-drawer-reason').innerText()).toBe(RULE.reason);
    await expect.poll(() => byId('data-testid violation-drawer-signature').innerText(), WAIT).toBe('signature valid');
    const witness = byId('data-testid violation-drawer-witness', first.queryId);
    expect(await witness.innerText()).toContain('db.query');
    expect(await witness.innerText()).toContain('data.contains_pii');
    expect(await drawer.innerText()).toContain(v.signature);
    await shot('violation-drawer');

    await byId('data-testid violation-drawer-trace-link').click();
    await byId('data-testid trace-container').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/traces/${first.traceId}`);
    const highlighted = allById('data-testid trace-witness-span-row');
    await expect.poll(() => highlighted.count(), WAIT).toBe(1);
    expect(await highlighted.getAttribute('data-testid')).toBe(`data-testid trace-witness-span-row-${first.queryId}`);
    expect(await highlighted.innerText()).toContain('db.query');
    // the root is drawn, not highlighted; the violation is listed beside the tree
    await byId('data-testid trace-span-row', first.rootId).waitFor();
    await byId('data-testid trace-violation', v.id).waitFor();
    await shot('trace');
  });

  step('exports CSV with exactly the rows of the table', async () => {
    await byId('data-testid console-nav-link-violations').click();
    await expect.poll(async () => (await tableIds()).length, WAIT).toBe(violating.length + 2);
    const shown = await tableIds();
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), byId('data-testid violations-export-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^betrace-violations-.*\.csv$/);
    const rows = csvObjects(await readFile(await download.path(), 'utf8'));

    expect(rows.map((r) => r['id']).sort()).toEqual([...shown].sort());
    const byViolation = new Map((await violations()).map((v) => [v.id, v]));
    for (const row of rows) {
      const v = byViolation.get(row['id'] ?? '');
      expect(row).toMatchObject({
        rule_id: v?.ruleId, severity: v?.severity, trace_id: v?.traceId, reason: v?.reason, signature: v?.signature,
        trigger_span_ids: v?.trigger.map((w) => w.spanId).join(' '),
        offending_span_ids: v?.offending.map((w) => w.spanId).join(' '),
      });
    }
    expect(rows.filter((r) => r['rule_id'] === RULE.id).map((r) => r['services']).sort()).toEqual(['profiles', 'users-api', 'users-api']);
  });

  step('records nothing for new violating traces once the rule is switched off on the Rules page', async () => {
    await byId('data-testid console-nav-link-rules').click();
    const toggle = byId('data-testid rules-enabled-switch', RULE.id);
    await expect.poll(() => toggle.isChecked(), WAIT).toBe(true);
    await byId('data-testid rules-violations-link', RULE.id).filter({ hasText: String(violating.length) }).waitFor();
    await expect.poll(() => byId('data-testid rules-row', RULE.id).innerText(), WAIT).toContain('s ago');
    await shot('rules');
    await toggle.click({ force: true });
    await expect.poll(async () => (await api.get<{ enabled: boolean }>(`/api/v1/rules/${RULE.id}`)).body.enabled, WAIT).toBe(false);
    await expect.poll(() => toggle.isChecked(), WAIT).toBe(false);

    await byId('data-testid console-nav-link-violations').click();
    await expect.poll(() => byId('data-testid violations-live-status').getAttribute('data-state'), WAIT).toBe('live');
    await expect.poll(async () => (await tableIds()).length, WAIT).toBe(violating.length + 2);
    const before = await violations();
    const later = users.map((s) => userRequest(s, false));
    await flushAll();
    // BeTrace has completed (and so judged) each new trace once it keeps it among the recent traces
    for (const { traceId } of later) {
      await pollUntil(`trace ${traceId} completed`, async () => ((await api.get(`/api/v1/traces/${traceId}`)).status === 200 ? true : undefined), WAIT.timeout);
    }
    // the one deliberate wait: longer than the quiet period plus a margin for the store and the stream
    await new Promise((r) => setTimeout(r, QUIET_PERIOD_MS + 1_500));

    expect((await violations()).map((v) => v.id).sort()).toEqual(before.map((v) => v.id).sort());
    for (const { traceId } of later) expect(await violations(`&traceId=${traceId}`)).toEqual([]);
    expect((await tableIds()).sort()).toEqual(before.map((v) => v.id).sort());
  });

  step('sums it up on the overview', async () => {
    await byId('data-testid console-nav-link-overview').click();
    await expect.poll(() => byId('data-testid overview-stat-total').innerText(), WAIT).toContain(String(violating.length + 2));
    await expect.poll(() => allById('data-testid overview-top-rule-row').count(), WAIT).toBe(2);
    expect(await byId('data-testid overview-stat-active-rules').innerText()).toContain('1 disabled');
    await shot('overview');
    expect(iconProblems).toEqual([]);
  });
});
