import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';

/** What installing the demo's rule pack did, or why the API refused. */
export type InstallOutcome =
  | { ok: true; installed: string[]; present: string[]; disabled: string[] }
  | { ok: false; message: string };

interface ApiTarget {
  api: string;
  apiKey: string | undefined;
}

/** The demo's rule pack as shipped next to this file. */
export function demoRulePack(): string {
  return readFileSync(new URL('./demo-rules.yaml', import.meta.url), 'utf8');
}

/** The rule ids of a rule pack, in file order. */
export function packRuleIds(yaml: string): string[] {
  const rules = (parseDocument(yaml).toJS() as { rules?: { id?: unknown }[] }).rules ?? [];
  return rules.map((r) => String(r.id));
}

/**
 * Imports the rules of the pack that BeTrace does not have yet. Rules already there are left as
 * they are (someone may have tuned or disabled them); disabled ones are reported.
 */
export async function installDemoRules(target: ApiTarget, yaml: string): Promise<InstallOutcome> {
  const listed = await call(target, 'GET', '/api/v1/rules');
  if (!listed.ok) return listed;
  const existing = new Map(((listed.body as { items?: { id: string; enabled: boolean }[] }).items ?? []).map((r) => [r.id, r]));
  const ids = packRuleIds(yaml);
  const missing = ids.filter((id) => !existing.has(id));
  const present = ids.filter((id) => existing.has(id));
  const disabled = present.filter((id) => existing.get(id)?.enabled === false);
  if (missing.length === 0) return { ok: true, installed: [], present, disabled };

  const doc = parseDocument(yaml);
  const rules = doc.get('rules') as { items: { get(k: string): unknown }[] };
  rules.items = rules.items.filter((r) => missing.includes(String(r.get('id'))));
  const imported = await call(target, 'POST', '/api/v1/rules/import', doc.toString());
  if (!imported.ok) return imported;
  const report = imported.body as { rules?: { id: string; outcome: string; problems?: { message: string }[] }[] };
  const failed = (report.rules ?? []).filter((r) => r.outcome === 'error');
  if (failed.length > 0) {
    return { ok: false, message: `BeTrace refused demo rules: ${failed.map((r) => `${r.id} (${r.problems?.[0]?.message ?? 'no reason given'})`).join('; ')}` };
  }
  return { ok: true, installed: missing, present, disabled };
}

async function call(target: ApiTarget, method: 'GET' | 'POST', path: string, yaml?: string): Promise<{ ok: true; body: unknown } | { ok: false; message: string }> {
  const url = `${target.api.replace(/\/+$/, '')}${path}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.apiKey !== undefined) headers['authorization'] = `Bearer ${target.apiKey}`;
  if (yaml !== undefined) headers['content-type'] = 'text/yaml';
  let res: Response;
  try {
    res = await fetch(url, { method, headers, ...(yaml === undefined ? {} : { body: yaml }), signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
    return { ok: false, message: `cannot reach the BeTrace API at ${target.api} (${cause}); start it with "npm start" or "betrace serve", or pass --api (or --skip-rules to send traces only)` };
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (res.ok) return { ok: true, body };
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  const said = error?.message ?? text.slice(0, 200);
  const hint = res.status === 401
    ? target.apiKey === undefined
      ? ' Pass an editor API key with --api-key or BETRACE_API_KEY (create one with: betrace keys create --name demo --role editor).'
      : ' The key given with --api-key / BETRACE_API_KEY is unknown or revoked.'
    : res.status === 403 ? ' Installing rules needs a key with the editor role.' : '';
  return { ok: false, message: `the BeTrace API refused ${method} ${path} (${res.status}${error?.code ? ` ${error.code}` : ''}): ${said}.${hint}` };
}
